namespace Streamer.Server.Rtsp;

/// <summary>RTSP camera ingest settings (section <c>Rtsp</c>).</summary>
public sealed class RtspOptions
{
    public const string Section = "Rtsp";

    /// <summary>Frames per second handed to the model stages when a source does not say (sampleFps).</summary>
    public double DefaultSampleFps { get; set; } = 2;

    public double MaxSampleFps { get; set; } = 30;

    /// <summary>Longest accepted source URL.</summary>
    public int MaxUrlLength { get; set; } = 2048;

    /// <summary>RTP transport: "tcp" (interleaved, default: works through NAT and firewalls) or "udp".</summary>
    public string Transport { get; set; } = "tcp";

    public double ConnectTimeoutSeconds { get; set; } = 10;

    /// <summary>No RTP for this long counts as a dropped camera and triggers a reconnect.</summary>
    public double StallTimeoutSeconds { get; set; } = 5;

    public double InitialBackoffSeconds { get; set; } = 0.5;
    public double MaxBackoffSeconds { get; set; } = 30;

    /// <summary>Reconnect attempts before the source is failed; 0 retries forever.</summary>
    public int MaxAttempts { get; set; }

    public int EncodedFrameQueue { get; set; } = 64;
    public int DecodedFrameQueue { get; set; } = 4;
    public int DecoderThreads { get; set; } = 1;

    internal static bool IsValid(RtspOptions o) =>
        o.DefaultSampleFps > 0 && o.MaxSampleFps >= o.DefaultSampleFps && o.MaxUrlLength >= 16
        && (o.Transport is "tcp" or "udp") && o.ConnectTimeoutSeconds > 0 && o.StallTimeoutSeconds > 0
        && o.InitialBackoffSeconds > 0 && o.MaxBackoffSeconds >= o.InitialBackoffSeconds && o.MaxAttempts >= 0
        && o.EncodedFrameQueue >= 1 && o.DecodedFrameQueue >= 1 && o.DecoderThreads >= 1;
}
