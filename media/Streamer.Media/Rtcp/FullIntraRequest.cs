using System.Buffers.Binary;

namespace Streamer.Media.Rtcp;

/// <summary>One FIR entry: the SSRC asked for a keyframe and a command sequence number.</summary>
public readonly record struct FirEntry(uint Ssrc, byte SequenceNumber);

/// <summary>
/// Full intra request (RFC 5104 section 4.3.1), a PSFB with FMT=4.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|  FMT=4  |   PT=206      |          length               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  SSRC of packet sender                        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |             SSRC of media source (unused, 0)                  |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                              SSRC                             |  (repeated)
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// | Seq nr.       |    Reserved                                   |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public sealed class FullIntraRequest : IRtcpPacket
{
    private const int SenderOffset = 0;
    private const int MediaOffset = 4;
    private const int FciOffset = 8;
    private const int EntrySize = 8;

    public uint SenderSsrc { get; set; }
    public uint MediaSsrc { get; set; }
    public FirEntry[] Entries { get; set; } = [];

    public int MarshalSize => RtcpHeader.Size + FciOffset + (Entries.Length * EntrySize);

    public int MarshalTo(Span<byte> destination)
    {
        int size = MarshalSize;
        RtcpHeader.Write(destination, RtcpFeedbackFormat.Fir, RtcpPacketType.PayloadFeedback, size);
        var body = destination[RtcpHeader.Size..size];
        BinaryPrimitives.WriteUInt32BigEndian(body[SenderOffset..], SenderSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(body[MediaOffset..], MediaSsrc);
        int offset = FciOffset;
        foreach (var entry in Entries)
        {
            BinaryPrimitives.WriteUInt32BigEndian(body[offset..], entry.Ssrc);
            BinaryPrimitives.WriteUInt32BigEndian(body[(offset + 4)..], (uint)entry.SequenceNumber << 24);
            offset += EntrySize;
        }
        return size;
    }

    public static bool TryUnmarshal(ReadOnlySpan<byte> data, out FullIntraRequest packet, out ParseError error)
    {
        packet = null!;
        if (!RtcpReader.TryReadFeedback(data, RtcpPacketType.PayloadFeedback, RtcpFeedbackFormat.Fir, out var body, out error))
        {
            return false;
        }
        if (body.Length < FciOffset || (body.Length - FciOffset) % EntrySize != 0)
        {
            error = ParseError.BadLength;
            return false;
        }
        var entries = new FirEntry[(body.Length - FciOffset) / EntrySize];
        for (int i = 0; i < entries.Length; i++)
        {
            var fci = body[(FciOffset + (i * EntrySize))..];
            entries[i] = new FirEntry(BinaryPrimitives.ReadUInt32BigEndian(fci), fci[4]);
        }
        packet = new FullIntraRequest
        {
            SenderSsrc = BinaryPrimitives.ReadUInt32BigEndian(body[SenderOffset..]),
            MediaSsrc = BinaryPrimitives.ReadUInt32BigEndian(body[MediaOffset..]),
            Entries = entries,
        };
        return true;
    }
}
