namespace Streamer.Server.Apis;

public static class OpenApiExtensions
{
    public static IHostApplicationBuilder AddStreamerOpenApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOpenApi();
        return builder;
    }

    /// <summary><c>GET /openapi/v1.json</c>: the REST API's OpenAPI document; needs no token.</summary>
    public static IEndpointRouteBuilder MapStreamerOpenApi(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi().AllowAnonymous();
        return app;
    }
}
