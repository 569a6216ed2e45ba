using Microsoft.Extensions.Options;
using Streamer.Server.Chat;
using Streamer.Server.Rtsp;
using SessionOptions = Streamer.Server.Sessions.SessionOptions;
using Streamer.Server.WebRtc;

namespace Streamer.Server.Apis;

public static class LimitsApi
{
    /// <summary><c>GET /api/limits</c>: the configured limits, so a client can enforce them before the server refuses.</summary>
    public static IEndpointRouteBuilder MapLimitsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/limits", (IOptions<ChatOptions> chat, IOptions<SessionOptions> sessions, IOptions<MemoryOptions> memory,
                IOptions<RtspOptions> rtsp, IOptions<WebRtcOptions> webRtc) =>
            TypedResults.Ok(new LimitsDto(
                chat.Value.MaxQuestionChars,
                chat.Value.MaxNewTokens,
                chat.Value.MaxConcurrentAsksPerSession,
                sessions.Value.MaxSessionsPerToken,
                sessions.Value.MaxSessions,
                memory.Value.SampleFps,
                rtsp.Value.DefaultSampleFps,
                rtsp.Value.MaxSampleFps,
                webRtc.Value.MaxSdpBytes,
                chat.Value.EventIntervalSeconds)))
            .RequireAuthorization()
            .WithTags("Limits")
            .WithName("GetLimits")
            .WithSummary("The configured limits a client needs: question length, answer tokens, sessions, sampling rates.");
        return app;
    }
}
