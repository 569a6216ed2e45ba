using System.Buffers.Binary;

namespace Streamer.Media.Rtcp;

/// <summary>
/// Generic NACK (RFC 4585 section 6.2.1), an RTPFB with FMT=1.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|  FMT=1  |   PT=205      |          length               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  SSRC of packet sender                        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  SSRC of media source                         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |            PID                |             BLP               |  (repeated)
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public sealed class TransportLayerNack : IRtcpPacket
{
    private const int SenderOffset = 0;
    private const int MediaOffset = 4;
    private const int FciOffset = 8;
    private const int PairSize = 4;

    public uint SenderSsrc { get; set; }
    public uint MediaSsrc { get; set; }
    public NackPair[] Nacks { get; set; } = [];

    /// <summary>
    /// Packs sequence numbers into PID+BLP pairs; each pair covers its PID and the 16 after
    /// it. Input is taken in the order given, which should be ascending (mod 2^16).
    /// </summary>
    public static TransportLayerNack FromSequenceNumbers(uint senderSsrc, uint mediaSsrc, IEnumerable<ushort> sequenceNumbers)
    {
        var pairs = new List<NackPair>();
        bool open = false;
        ushort pid = 0;
        ushort blp = 0;
        foreach (ushort seq in sequenceNumbers)
        {
            if (open)
            {
                int delta = (ushort)(seq - pid);
                if (delta == 0)
                {
                    continue;
                }
                if (delta <= 16)
                {
                    blp |= (ushort)(1 << (delta - 1));
                    continue;
                }
                pairs.Add(new NackPair(pid, blp));
            }
            open = true;
            pid = seq;
            blp = 0;
        }
        if (open)
        {
            pairs.Add(new NackPair(pid, blp));
        }
        return new TransportLayerNack { SenderSsrc = senderSsrc, MediaSsrc = mediaSsrc, Nacks = [.. pairs] };
    }

    /// <summary>Every sequence number the packet asks for, in order.</summary>
    public List<ushort> GetSequenceNumbers()
    {
        var result = new List<ushort>(Nacks.Length * 2);
        foreach (var pair in Nacks)
        {
            pair.AddSequenceNumbers(result);
        }
        return result;
    }

    public int MarshalSize => RtcpHeader.Size + FciOffset + (Nacks.Length * PairSize);

    public int MarshalTo(Span<byte> destination)
    {
        int size = MarshalSize;
        RtcpHeader.Write(destination, RtcpFeedbackFormat.Nack, RtcpPacketType.TransportFeedback, size);
        var body = destination[RtcpHeader.Size..];
        BinaryPrimitives.WriteUInt32BigEndian(body[SenderOffset..], SenderSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(body[MediaOffset..], MediaSsrc);
        int offset = FciOffset;
        foreach (var pair in Nacks)
        {
            BinaryPrimitives.WriteUInt16BigEndian(body[offset..], pair.PacketId);
            BinaryPrimitives.WriteUInt16BigEndian(body[(offset + 2)..], pair.LostPackets);
            offset += PairSize;
        }
        return size;
    }

    public static bool TryUnmarshal(ReadOnlySpan<byte> data, out TransportLayerNack packet, out ParseError error)
    {
        packet = null!;
        if (!RtcpReader.TryReadFeedback(data, RtcpPacketType.TransportFeedback, RtcpFeedbackFormat.Nack, out var body, out error))
        {
            return false;
        }
        if (body.Length < FciOffset + PairSize)
        {
            error = ParseError.BadLength;
            return false;
        }
        var pairs = new NackPair[(body.Length - FciOffset) / PairSize];
        for (int i = 0; i < pairs.Length; i++)
        {
            var fci = body[(FciOffset + (i * PairSize))..];
            pairs[i] = new NackPair(BinaryPrimitives.ReadUInt16BigEndian(fci), BinaryPrimitives.ReadUInt16BigEndian(fci[2..]));
        }
        packet = new TransportLayerNack
        {
            SenderSsrc = BinaryPrimitives.ReadUInt32BigEndian(body[SenderOffset..]),
            MediaSsrc = BinaryPrimitives.ReadUInt32BigEndian(body[MediaOffset..]),
            Nacks = pairs,
        };
        return true;
    }
}
