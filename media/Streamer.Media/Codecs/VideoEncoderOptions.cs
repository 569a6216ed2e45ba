namespace Streamer.Media.Codecs;

public sealed class VideoEncoderOptions
{
    public int FrameRate { get; set; } = 30;

    /// <summary>Target bit rate in bits per second.</summary>
    public long BitRate { get; set; } = 1_000_000;

    /// <summary>Frames between keyframes (GOP length).</summary>
    public int KeyframeInterval { get; set; } = 60;

    public int Threads { get; set; } = 1;
}
