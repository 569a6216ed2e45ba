namespace Streamer.Media.Codecs;

/// <summary>What a single RTP payload says about the frame it belongs to.</summary>
[Flags]
public enum RtpPayloadFlags
{
    None = 0,
    /// <summary>The payload begins a frame (VP8 S=1 and PID=0; H.264 first slice or parameter sets).</summary>
    FrameStart = 1,
    /// <summary>The payload begins a frame that decodes without earlier frames.</summary>
    KeyframeStart = 2,
}
