using Microsoft.Extensions.Options;
using Streamer.Media.Rtsp;
using Streamer.Server.Pipeline;
using Streamer.Server.Sessions;

namespace Streamer.Server.Rtsp;

/// <summary>Creates RTSP camera sessions. Credentials go to the source only, never to logs or the API.</summary>
public sealed class RtspIngest(
    IOptions<RtspOptions> options,
    SessionRegistry sessions,
    PipelineSupervisor supervisor,
    TimeProvider time,
    ILogger<RtspIngest> logger)
{
    public sealed record Request(string? Url, string? Username, string? Password, double? SampleFps)
    {
        /// <summary>The session's memory policy; null takes Memory:Policy.</summary>
        public string? MemoryPolicy { get; init; }
    }

    public sealed record Result(RtspSession? Session, string? Error, int StatusCode);

    /// <param name="memoryPolicy">The session's memory policy, already resolved (<see cref="Chat.MemoryOptions.TryResolvePolicy"/>).</param>
    public async Task<Result> CreateAsync(Request request, string owner, string? memoryPolicy = null)
    {
        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(request.Url))
            return new(null, "'url' is required (rtsp://host[:port]/path).", StatusCodes.Status400BadRequest);
        if (request.Url.Length > settings.MaxUrlLength)
            return new(null, $"'url' is longer than Rtsp:MaxUrlLength ({settings.MaxUrlLength}).", StatusCodes.Status400BadRequest);
        if (!RtspUrl.TryParse(request.Url, out _, out var urlError))
            return new(null, $"'url' is not a valid RTSP URL: {urlError}", StatusCodes.Status400BadRequest);
        var sampleFps = request.SampleFps ?? settings.DefaultSampleFps;
        if (!(sampleFps > 0 && sampleFps <= settings.MaxSampleFps))
            return new(null, $"'sampleFps' must be above 0 and at most {settings.MaxSampleFps}.", StatusCodes.Status400BadRequest);
        if (sessions.CheckAdmission(owner) is { } limit) return new(null, limit, StatusCodes.Status429TooManyRequests);

        var source = new RtspSourceOptions
        {
            Url = request.Url,
            UserName = request.Username,
            Password = request.Password,
            Client = new RtspClientOptions
            {
                Transport = settings.Transport == "udp" ? RtspTransportProtocol.Udp : RtspTransportProtocol.Tcp,
                ConnectTimeout = TimeSpan.FromSeconds(settings.ConnectTimeoutSeconds),
            },
            StallTimeout = TimeSpan.FromSeconds(settings.StallTimeoutSeconds),
            InitialBackoff = TimeSpan.FromSeconds(settings.InitialBackoffSeconds),
            MaxBackoff = TimeSpan.FromSeconds(settings.MaxBackoffSeconds),
            MaxAttempts = settings.MaxAttempts,
        };
        var session = new RtspSession(SessionRegistry.NewId(), owner, source, sampleFps, settings, time) { MemoryPolicy = memoryPolicy };
        if (!sessions.TryAdd(session, out var admission))
        {
            await session.DisposeAsync().ConfigureAwait(false);
            return new(null, admission, StatusCodes.Status429TooManyRequests);
        }
        var running = session.Start(supervisor);
        _ = supervisor.Start($"rtsp-session {session.Id}", async _ =>
        {
            await running.ConfigureAwait(false);
            if (session.State == SessionState.Failed)
                logger.LogWarning("RTSP session {Id} failed: {Error}", session.Id, session.Error);
        });
        logger.LogInformation("RTSP session {Id} pulling {Url}", session.Id, session.Source.RedactedUrl);
        return new(session, null, StatusCodes.Status201Created);
    }
}
