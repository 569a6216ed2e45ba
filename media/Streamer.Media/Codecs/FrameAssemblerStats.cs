namespace Streamer.Media.Codecs;

/// <summary>Counters of a <see cref="FrameAssembler"/>; read them from the assembler's thread.</summary>
public sealed class FrameAssemblerStats
{
    public long FramesEmitted { get; internal set; }
    /// <summary>Frames given up (lost packets, bad content, too large) or skipped while waiting for a keyframe.</summary>
    public long FramesDropped { get; internal set; }
    public long PacketsLate { get; internal set; }
    public long PacketsDuplicate { get; internal set; }
    /// <summary>Payloads the depacketizer rejected; <see cref="FrameAssembler.LastError"/> says why.</summary>
    public long PacketsRejected { get; internal set; }
    /// <summary>Packets dropped because the window or a frame size bound was exceeded.</summary>
    public long PacketsOverflowed { get; internal set; }
    public long KeyframeRequests { get; internal set; }
}
