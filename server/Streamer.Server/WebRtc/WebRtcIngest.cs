using Microsoft.Extensions.Options;
using Streamer.Media.Dtls;
using Streamer.Media.WebRtc;
using Streamer.Server.Pipeline;
using Streamer.Server.Sessions;

namespace Streamer.Server.WebRtc;

/// <summary>Turns a WHIP offer into a running <see cref="WebRtcSession"/>.</summary>
public sealed class WebRtcIngest(
    IOptions<WebRtcOptions> options,
    SessionRegistry sessions,
    PipelineSupervisor supervisor,
    TimeProvider time,
    ILogger<WebRtcIngest> logger)
{
    // One certificate for the server's lifetime, as browsers do; its fingerprint goes in every answer.
    private readonly Lazy<DtlsCertificate> _certificate = new(() => DtlsCertificate.Generate(time));

    public DtlsCertificate Certificate => _certificate.Value;

    public sealed record Result(WebRtcSession? Session, string? Error, int StatusCode);

    /// <param name="memoryPolicy">The session's memory policy, already resolved (<see cref="Chat.MemoryOptions.TryResolvePolicy"/>).</param>
    public async Task<Result> CreateAsync(string offerSdp, string owner, string? memoryPolicy = null)
    {
        if (sessions.CheckAdmission(owner) is { } limit) return new(null, limit, StatusCodes.Status429TooManyRequests);

        if (!WebRtcPeer.TryCreate(offerSdp, Certificate, options.Value.ToPeerOptions(), time, out var peer, out var error))
        {
            logger.LogInformation("WHIP offer rejected: {Error}", error);
            return new(null, error, StatusCodes.Status400BadRequest);
        }

        if (peer!.SendAudioUnavailable is { } downgrade) logger.LogWarning("WHIP peer cannot speak: {Reason}", downgrade);
        var session = new WebRtcSession(SessionRegistry.NewId(), owner, peer, options.Value, time) { MemoryPolicy = memoryPolicy };
        if (!sessions.TryAdd(session, out var admission))
        {
            await session.DisposeAsync().ConfigureAwait(false);
            return new(null, admission, StatusCodes.Status429TooManyRequests);
        }

        var running = session.Start(supervisor);
        _ = supervisor.Start($"webrtc-session {session.Id}", async _ =>
        {
            await running.ConfigureAwait(false);
            logger.LogInformation("WebRTC peer of session {Id} ended: {Reason}", session.Id, peer!.CloseReason);
            await sessions.ForgetAsync(session).ConfigureAwait(false);
        });
        logger.LogInformation("WHIP session {Id}: {Codec} on udp {Endpoint}", session.Id, peer!.VideoCodec, peer.LocalEndPoint);
        return new(session, null, StatusCodes.Status201Created);
    }
}
