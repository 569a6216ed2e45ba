namespace Streamer.Server.Health;

public static class HealthApi
{
    public static IHostApplicationBuilder AddStreamerHealth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<Readiness>();
        return builder;
    }

    /// <summary><c>GET /healthz</c>: 200 once ready, 503 while starting. Needs no token.</summary>
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", (Readiness readiness) => readiness.IsReady
                ? Results.Ok(new { status = "ready" })
                : Results.Json(new { status = "starting" }, statusCode: StatusCodes.Status503ServiceUnavailable))
            .AllowAnonymous()
            .ExcludeFromDescription();
        return app;
    }
}
