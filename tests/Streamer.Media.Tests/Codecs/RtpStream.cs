namespace Streamer.Media.Tests.Codecs;

/// <summary>One packet as a sender would put it on the wire, with the time it reaches us.</summary>
internal sealed record RtpTestPacket(ushort SequenceNumber, uint Timestamp, bool Marker, byte[] Payload, int FrameIndex)
{
    public DateTimeOffset Arrival { get; set; }
}

/// <summary>Builds packet sequences from encoded frames and disturbs them reproducibly.</summary>
internal static class RtpStream
{
    public static readonly DateTimeOffset Epoch = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public const uint TicksPerFrame = 90000 / 15;

    /// <summary>Numbers packets from just below the 16-bit wrap so the wrap is exercised.</summary>
    public static List<RtpTestPacket> FromFrames(IReadOnlyList<List<byte[]>> framePayloads, ushort firstSequence = 65500)
    {
        var packets = new List<RtpTestPacket>();
        var sequence = firstSequence;
        for (var frame = 0; frame < framePayloads.Count; frame++)
        {
            var payloads = framePayloads[frame];
            for (var i = 0; i < payloads.Count; i++)
            {
                packets.Add(new RtpTestPacket(sequence++, (uint)frame * TicksPerFrame, i == payloads.Count - 1, payloads[i], frame));
            }
        }
        return packets;
    }

    /// <summary>Each frame's packets arrive 1 ms apart at 15 frames per second.</summary>
    public static void StampArrivals(List<RtpTestPacket> packets)
    {
        var perFrame = new Dictionary<int, int>();
        foreach (var packet in packets)
        {
            perFrame.TryGetValue(packet.FrameIndex, out var index);
            perFrame[packet.FrameIndex] = index + 1;
            packet.Arrival = Epoch + TimeSpan.FromMilliseconds((packet.FrameIndex * 1000.0 / 15) + index);
        }
    }

    /// <summary>
    /// Swaps some neighbours and moves some packets a few places later (a retransmission
    /// arriving after its successors), keeping the first frame's first packet first.
    /// </summary>
    public static List<RtpTestPacket> Disturb(List<RtpTestPacket> packets, int seed)
    {
        var random = new Random(seed);
        var result = new List<RtpTestPacket>(packets);
        for (var i = 2; i + 1 < result.Count; i++)
        {
            if (random.NextDouble() < 0.15)
            {
                (result[i], result[i + 1]) = (result[i + 1], result[i]);
            }
        }
        for (var i = 2; i + 6 < result.Count; i += 7)
        {
            if (random.NextDouble() < 0.5)
            {
                var moved = result[i];
                result.RemoveAt(i);
                result.Insert(i + 4, moved);
            }
        }
        // Packets arrive 1 ms apart in delivery order, so a late packet is only a few ms late,
        // well inside the assembler's wait.
        for (var i = 0; i < result.Count; i++)
        {
            result[i].Arrival = Epoch + TimeSpan.FromMilliseconds(i);
        }
        return result;
    }
}
