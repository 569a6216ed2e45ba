namespace Streamer.Benchmarks.GlassToGlass;

/// <summary>What the browser's sender did during a measurement: its bit rate, the mean time a packet waited in its pacer, and its bandwidth estimate at the end (0 when not reported).</summary>
public sealed record SenderActivity(double SentKilobitsPerSecond, double PacerMillisecondsPerPacket, double EstimateKilobitsPerSecond)
{
    public static SenderActivity Between(SenderSnapshot start, SenderSnapshot end)
    {
        var seconds = Math.Max(1e-3, (end.AtMilliseconds - start.AtMilliseconds) / 1000);
        var packets = Math.Max(1, end.PacketsSent - start.PacketsSent);
        return new SenderActivity(
            (end.BytesSent - start.BytesSent) * 8 / seconds / 1000,
            (end.PacketSendDelaySeconds - start.PacketSendDelaySeconds) * 1000 / packets,
            end.AvailableOutgoingBitrate / 1000);
    }
}
