using Streamer.Media.Codecs;

namespace Streamer.Media.Rtsp;

public sealed class RtspSourceOptions
{
    /// <summary>rtsp://[user:password@]host[:port]/path.</summary>
    public required string Url { get; set; }

    /// <summary>Overrides the URL's userinfo.</summary>
    public string? UserName { get; set; }

    public string? Password { get; set; }

    public RtspClientOptions Client { get; set; } = new();

    public FrameAssemblerOptions Assembler { get; set; } = new();

    /// <summary>No RTP for this long counts as a dropped camera.</summary>
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Wait before the first retry; doubled per failed attempt up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Failed attempts in a row before giving up; 0 retries forever.</summary>
    public int MaxAttempts { get; set; }

    /// <summary>Seed of the backoff jitter, for reproducible tests; null picks one.</summary>
    public int? JitterSeed { get; set; }
}
