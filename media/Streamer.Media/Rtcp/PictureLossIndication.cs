using System.Buffers.Binary;

namespace Streamer.Media.Rtcp;

/// <summary>
/// Picture loss indication (RFC 4585 section 6.3.1), a PSFB with FMT=1 and no FCI.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|  FMT=1  |   PT=206      |          length=2             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  SSRC of packet sender                        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  SSRC of media source                         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public sealed class PictureLossIndication : IRtcpPacket
{
    private const int SenderOffset = 0;
    private const int MediaOffset = 4;
    private const int BodySize = 8;

    public uint SenderSsrc { get; set; }
    public uint MediaSsrc { get; set; }

    public int MarshalSize => RtcpHeader.Size + BodySize;

    public int MarshalTo(Span<byte> destination)
    {
        int size = MarshalSize;
        RtcpHeader.Write(destination, RtcpFeedbackFormat.Pli, RtcpPacketType.PayloadFeedback, size);
        BinaryPrimitives.WriteUInt32BigEndian(destination[(RtcpHeader.Size + SenderOffset)..], SenderSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(destination[(RtcpHeader.Size + MediaOffset)..], MediaSsrc);
        return size;
    }

    public static bool TryUnmarshal(ReadOnlySpan<byte> data, out PictureLossIndication packet, out ParseError error)
    {
        packet = null!;
        if (!RtcpReader.TryReadFeedback(data, RtcpPacketType.PayloadFeedback, RtcpFeedbackFormat.Pli, out var body, out error))
        {
            return false;
        }
        if (body.Length < BodySize)
        {
            error = ParseError.BadLength;
            return false;
        }
        packet = new PictureLossIndication
        {
            SenderSsrc = BinaryPrimitives.ReadUInt32BigEndian(body[SenderOffset..]),
            MediaSsrc = BinaryPrimitives.ReadUInt32BigEndian(body[MediaOffset..]),
        };
        return true;
    }
}
