using Streamer.Server.Auth;
using Streamer.Server.Sessions;

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

        group.MapDelete("/{id}", async (string id, HttpContext http, SessionRegistry sessions) =>
            await sessions.RemoveAsync(id, http.User.GetOwner()) ? Results.NoContent() : NotFound(id));

        return app;
    }

    // Another token's session is reported exactly like a missing one, so ids do not leak.
    internal static IResult NotFound(string id) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Session not found", detail: $"No session '{id}' for this token.");
}
