namespace Streamer.Media.Codecs;

public sealed class FrameAssemblerOptions
{
    /// <summary>How long a frame with a missing packet waits for a retransmission before it is given up.</summary>
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromMilliseconds(150);

    /// <summary>Packets held at most; the reorder window in sequence numbers.</summary>
    public int MaxPackets { get; set; } = 2048;

    /// <summary>Largest frame accepted; a bigger one is dropped as if lost.</summary>
    public int MaxFrameBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Finished frames waiting for <see cref="FrameAssembler.TryDequeue"/>; beyond it the oldest is dropped.</summary>
    public int MaxReadyFrames { get; set; } = 32;

    /// <summary>While no keyframe arrives, how often the request for one is repeated.</summary>
    public TimeSpan KeyframeRequestInterval { get; set; } = TimeSpan.FromSeconds(1);
}
