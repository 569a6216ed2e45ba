using System.Reflection;
using System.Text.Json.Serialization;
using Microsoft.Extensions.FileProviders;
using Streamer.Server.Auth;
using Streamer.Server.Health;

namespace Streamer.Server.Hosting;

public static class HostingExtensions
{
    /// <summary>
    /// Embedded default configuration (appsettings.json compiled into the assembly) under the
    /// usual sources, so the server runs from any folder with no files beside it; logging as
    /// single-line structured console output; ProblemDetails for every error.
    /// </summary>
    public static IHostApplicationBuilder AddStreamerDefaults(this IHostApplicationBuilder builder)
    {
        var embedded = new EmbeddedFileProvider(Assembly.GetExecutingAssembly(), "Streamer.Server");
        if (embedded.GetFileInfo("appsettings.defaults.json").Exists)
        {
            // Insert first: files, environment and command line given by the operator win.
            var sources = builder.Configuration.Sources;
            var defaults = new ConfigurationBuilder().AddJsonFile(embedded, "appsettings.defaults.json", optional: false, reloadOnChange: false);
            sources.Insert(0, defaults.Sources[0]);
        }

        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(o =>
        {
            o.IncludeScopes = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            o.UseUtcTimestamp = true;
        });
        if (builder.Configuration.GetValue("Logging:PlainText", false))
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; });
        }

        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(o =>
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase)));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<Pipeline.PipelineSupervisor>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Pipeline.PipelineSupervisor>());
        return builder;
    }

    public static IHostApplicationBuilder AddStreamerSessions(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<Sessions.SessionOptions>().BindConfiguration(Sessions.SessionOptions.Section)
            .Validate(o => o.MaxSessions >= 1 && o.MaxSessionsPerToken >= 1, "Sessions limits must be at least 1.")
            .ValidateOnStart();
        builder.Services.AddSingleton<Sessions.SessionRegistry>();
        return builder;
    }

    public static WebApplication UseStreamerErrors(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }

    /// <summary>Ready once the host has started; resolving the token store here prints a generated token at start.</summary>
    public static WebApplication MarkReadyOnStart(this WebApplication app)
    {
        var tokens = app.Services.GetRequiredService<TokenStore>();
        var readiness = app.Services.GetRequiredService<Readiness>();
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            app.Logger.LogInformation("Streamer ready: {Count} API token(s) accepted", tokens.Count);
            readiness.MarkReady();
        });
        return app;
    }
}
