namespace Streamer.Benchmarks.GlassToGlass;

/// <summary>
/// The sending peer connection's video counters at one moment (WebRTC statistics
/// <c>outbound-rtp</c> and the selected <c>candidate-pair</c>). Two snapshots tell what the
/// sender did in between: a frame that waited in the pacer because the bandwidth estimate was
/// low is latency no receiver can win back.
/// </summary>
/// <param name="AtMilliseconds">Browser epoch time of the snapshot.</param>
/// <param name="PacketSendDelaySeconds">Total time packets spent in the sender's pacer.</param>
/// <param name="AvailableOutgoingBitrate">The sender's bandwidth estimate in bit/s, 0 when it reports none.</param>
public sealed record SenderSnapshot(double AtMilliseconds, long PacketsSent, double PacketSendDelaySeconds, long BytesSent, double AvailableOutgoingBitrate)
{
    public static SenderSnapshot FromScript(double[] values) =>
        new(values[0], (long)values[1], values[2], (long)values[3], values[4]);
}
