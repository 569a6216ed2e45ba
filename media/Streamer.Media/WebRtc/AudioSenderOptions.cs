namespace Streamer.Media.WebRtc;

/// <summary>How spoken audio leaves on the peer's audio track.</summary>
public sealed record AudioSenderOptions
{
    /// <summary>Rate of the PCM handed to the sender (Token2Wav speaks at 24 kHz).</summary>
    public int InputSampleRate { get; init; } = 24000;

    /// <summary>Opus channels: 1, or 2 when the browser asked for stereo (fmtp stereo=1).</summary>
    public int Channels { get; init; } = 1;

    public int BitRate { get; init; } = 32000;

    /// <summary>Chunks waiting to be sent; a producer that gets ahead of real time waits.</summary>
    public int QueueChunks { get; init; } = 256;

    /// <summary>How far ahead of real time packets may leave, to ride out timer jitter.</summary>
    public TimeSpan Lead { get; init; } = TimeSpan.FromMilliseconds(40);

    /// <summary>Largest RTP payload; an Opus packet above it is dropped and counted.</summary>
    public int Mtu { get; init; } = 1200;

    internal bool IsValid =>
        InputSampleRate is >= 8000 and <= 192000 && Channels is 1 or 2 && BitRate is >= 6000 and <= 510000
        && QueueChunks >= 1 && Lead >= TimeSpan.Zero && Lead < TimeSpan.FromSeconds(1) && Mtu >= 64;
}
