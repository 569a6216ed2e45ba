using Microsoft.Extensions.Options;
using Streamer.Server.Auth;
using Streamer.Server.Chat;
using Streamer.Server.Sessions;
using Streamer.Server.WebRtc;

namespace Streamer.Server.Apis;

/// <summary>
/// WHIP (RFC 9725): <c>POST /whip</c> with an SDP offer creates a session and answers
/// <c>201 Created</c> with <c>Location: /whip/{id}</c>; <c>DELETE</c> on that resource ends it.
/// The server is ICE-lite and puts its only candidate in the answer, so it supports neither
/// trickle ICE nor ICE restarts and answers <c>PATCH</c> with 405. The query
/// <c>?memoryPolicy=rekv|livevlm|flashvstream</c> picks the session's memory policy (default Memory:Policy).
/// </summary>
public static class WhipApi
{
    private const string SdpMediaType = "application/sdp";

    public static IEndpointRouteBuilder MapWhipApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/whip", PublishAsync).RequireAuthorization().WithTags("WHIP");
        app.MapMethods("/whip", ["OPTIONS"], (HttpContext http) =>
        {
            http.Response.Headers.Allow = "POST, OPTIONS";
            http.Response.Headers["Accept-Post"] = SdpMediaType;
            return Results.NoContent();
        }).AllowAnonymous().ExcludeFromDescription();
        app.MapMethods("/whip", ["GET", "HEAD", "PUT", "PATCH", "DELETE"], () => MethodNotAllowed("POST, OPTIONS"))
            .AllowAnonymous().ExcludeFromDescription();

        app.MapDelete("/whip/{id}", async (string id, HttpContext http, SessionRegistry sessions) =>
                await sessions.RemoveAsync(id, http.User.GetOwner()) ? Results.Ok() : SessionsApi.NotFound(id))
            .RequireAuthorization().WithTags("WHIP");
        app.MapMethods("/whip/{id}", ["PATCH", "GET", "HEAD", "PUT", "POST"], (string id, HttpContext http, SessionRegistry sessions) =>
                sessions.Find(id, http.User.GetOwner()) is null ? SessionsApi.NotFound(id) : MethodNotAllowed("DELETE"))
            .RequireAuthorization().ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> PublishAsync(HttpContext http, WebRtcIngest ingest, IOptions<WebRtcOptions> options,
        IOptions<MemoryOptions> memory)
    {
        if (!string.Equals(http.Request.ContentType?.Split(';')[0].Trim(), SdpMediaType, StringComparison.OrdinalIgnoreCase))
            return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
                detail: $"A WHIP offer must be sent as {SdpMediaType}.");

        var requested = http.Request.Query["memoryPolicy"];
        if (!memory.Value.TryResolvePolicy(requested.Count == 0 ? null : requested.ToString(), out var policy, out var policyError))
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid memory policy", detail: policyError);

        var limit = options.Value.MaxSdpBytes;
        if (http.Request.ContentLength > limit) return TooLarge(limit);
        var buffer = new byte[limit + 1];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await http.Request.Body.ReadAsync(buffer.AsMemory(read), http.RequestAborted);
            if (n == 0) break;
            read += n;
        }
        if (read > limit) return TooLarge(limit);
        var offer = System.Text.Encoding.UTF8.GetString(buffer, 0, read);

        var result = await ingest.CreateAsync(offer, http.User.GetOwner(), policy);
        if (result.Session is not { } session)
        {
            return Results.Problem(statusCode: result.StatusCode,
                title: result.StatusCode == StatusCodes.Status429TooManyRequests ? "Session limit reached" : "Offer rejected",
                detail: result.Error);
        }

        http.Response.Headers.Location = $"/whip/{session.Id}";
        http.Response.Headers.ETag = $"\"{session.Id}\"";
        return Results.Text(session.Peer.AnswerSdp, SdpMediaType, statusCode: StatusCodes.Status201Created);
    }

    private static IResult TooLarge(int limit) =>
        Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Offer too large",
            detail: $"The SDP offer exceeds WebRtc:MaxSdpBytes ({limit} bytes).");

    private static IResult MethodNotAllowed(string allow) => new MethodNotAllowedResult(allow);

    private sealed class MethodNotAllowedResult(string allow) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.Allow = allow;
            return Results.Problem(statusCode: StatusCodes.Status405MethodNotAllowed, title: "Method not allowed",
                detail: $"Allowed: {allow}.").ExecuteAsync(httpContext);
        }
    }
}
