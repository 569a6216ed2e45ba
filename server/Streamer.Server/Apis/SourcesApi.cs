using Microsoft.Extensions.Options;
using Streamer.Server.Auth;
using Streamer.Server.Chat;
using Streamer.Server.Rtsp;

namespace Streamer.Server.Apis;

/// <summary>
/// <c>POST /api/sources</c> with <c>{ url, username?, password?, sampleFps?, memoryPolicy? }</c> creates a session
/// fed by an RTSP camera and answers <c>201 { id }</c>; the session then appears in
/// <c>/api/sessions</c> with kind "rtsp" and is ended with <c>DELETE /api/sessions/{id}</c>.
/// </summary>
public static class SourcesApi
{
    public sealed record SourceCreated(string Id);

    public static IEndpointRouteBuilder MapSourcesApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/sources", async (RtspIngest.Request request, HttpContext http, RtspIngest ingest, IOptions<MemoryOptions> memory) =>
        {
            if (!memory.Value.TryResolvePolicy(request.MemoryPolicy, out var policy, out var policyError))
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid source", detail: policyError);
            var result = await ingest.CreateAsync(request, http.User.GetOwner(), policy);
            return result.Session is { } session
                ? Results.Created($"/api/sessions/{session.Id}", new SourceCreated(session.Id))
                : Results.Problem(statusCode: result.StatusCode,
                    title: result.StatusCode == StatusCodes.Status429TooManyRequests ? "Session limit reached" : "Invalid source",
                    detail: result.Error);
        }).RequireAuthorization().WithTags("Sources");
        return app;
    }
}
