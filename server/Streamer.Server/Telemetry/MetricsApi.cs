using Prometheus;

namespace Streamer.Server.Telemetry;

public static class MetricsApi
{
    public static IHostApplicationBuilder AddStreamerMetrics(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.Section)
            .Validate(o => o.Path.StartsWith('/'), "Metrics:Path must start with '/'.")
            .ValidateOnStart();
        // Stages and protocol code publish through System.Diagnostics.Metrics; the exporter
        // turns every Streamer.* instrument into a Prometheus metric of the same name.
        MeterExporter.EnsureStarted();
        return builder;
    }

    public static IEndpointRouteBuilder MapMetricsApi(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<MetricsOptions>>().Value;
        var endpoint = app.MapMetrics(options.Path).ExcludeFromDescription();
        if (options.RequireToken) endpoint.RequireAuthorization();
        else endpoint.AllowAnonymous();
        return app;
    }
}
