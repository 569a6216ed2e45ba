using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Streamer.Server.Client;

/// <summary>
/// Serves the built web client (client-web/dist) at <c>/</c>: its files, and index.html for any
/// other page path so the app can own its routes. API paths never fall back to the page: an
/// unknown <c>/api/...</c> stays a 404 problem.
/// </summary>
public static class ClientApp
{
    private static readonly string[] ServerPrefixes = ["/api", "/whip", "/hubs", "/healthz", "/metrics", "/openapi"];

    public static IHostApplicationBuilder AddStreamerClient(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ClientOptions>().BindConfiguration(ClientOptions.Section);
        return builder;
    }

    public static WebApplication MapClientApp(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<ClientOptions>>().Value;
        if (!options.Enabled) return app;
        var folder = ClientFolder.Resolve(options.Path, app.Environment.ContentRootPath, AppContext.BaseDirectory);
        var index = folder is null ? null : System.IO.Path.Combine(folder, ClientFolder.IndexFile);
        if (index is null || !File.Exists(index))
        {
            var detail = folder is null
                ? "The web client is not built: run ./scripts/build-client.sh (or set Client:Path)."
                : $"The web client folder '{folder}' (Client:Path) has no {ClientFolder.IndexFile}.";
            app.Logger.LogWarning("No web client served at /: {Detail}", detail);
            app.MapGet("/", () => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Web client not built", detail: detail))
                .AllowAnonymous().ExcludeFromDescription();
            return app;
        }

        app.Logger.LogInformation("Serving the web client from {Folder}", folder);
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(folder!),
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = CacheControlFor(context.Context.Request.Path),
        });
        app.MapFallback("{*path:nonfile}", (HttpContext http) =>
            {
                var request = http.Request;
                if (IsServerPath(request.Path) || !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)))
                    return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"No endpoint at {request.Method} {request.Path}.");
                http.Response.Headers.CacheControl = "no-cache";
                return Results.File(index, "text/html; charset=utf-8");
            })
            .AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    // Vite puts a content hash in every asset's name, so assets never change under their name;
    // index.html names the current ones and must be revalidated.
    private static string CacheControlFor(PathString path) =>
        path.StartsWithSegments("/assets") ? "public, max-age=31536000, immutable" : "no-cache";

    private static bool IsServerPath(PathString path) =>
        ServerPrefixes.Any(prefix => path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase));
}
