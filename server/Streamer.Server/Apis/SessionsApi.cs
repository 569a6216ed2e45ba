using Streamer.Server.Auth;
using Streamer.Server.Chat;
using Streamer.Server.Ingest;
using Streamer.Server.Sessions;
using Streamer.Server.Voice;

namespace Streamer.Server.Apis;

public static class SessionsApi
{
    public static IEndpointRouteBuilder MapSessionsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/sessions").RequireAuthorization().WithTags("Sessions");

        group.MapGet("/", (HttpContext http, SessionRegistry sessions) =>
            TypedResults.Ok(sessions.ListFor(http.User.GetOwner()).Select(SessionDto.From).ToList()));

        group.MapGet("/{id}", (string id, HttpContext http, SessionRegistry sessions) =>
            sessions.Find(id, http.User.GetOwner()) is { } session
                ? Results.Ok(SessionDto.From(session))
                : NotFound(id));

        group.MapGet("/{id}/stats", (string id, HttpContext http, SessionRegistry sessions, SessionMemories memories, VoiceSessions voices) =>
            sessions.Find(id, http.User.GetOwner()) is { } session
                ? Results.Ok(SessionStatsDto.From(session, memories.Describe(session.Id), memories.Find(session.Id)?.Stages, voices.Find(session.Id)))
                : NotFound(id));

        group.MapGet("/{id}/snapshot", (string id, HttpContext http, SessionRegistry sessions) =>
        {
            if (sessions.Find(id, http.User.GetOwner()) is not IngestSession session) return NotFound(id);
            if (!session.LatestFrame.TryGetRgb(out var rgb, out var width, out var height))
                return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "No frame yet",
                    detail: "The session has not decoded a frame yet.");
            return Results.File(PngEncoder.EncodeRgb24(rgb, width, height), "image/png");
        });

        group.MapDelete("/{id}", async (string id, HttpContext http, SessionRegistry sessions) =>
            await sessions.RemoveAsync(id, http.User.GetOwner()) ? Results.NoContent() : NotFound(id));

        return app;
    }

    // Another token's session is reported exactly like a missing one, so ids do not leak.
    internal static IResult NotFound(string id) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Session not found", detail: $"No session '{id}' for this token.");
}
