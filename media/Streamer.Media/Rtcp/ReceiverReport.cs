using System.Buffers.Binary;

namespace Streamer.Media.Rtcp;

/// <summary>
/// Receiver report (RFC 3550 section 6.4.2).
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|    RC   |   PT=RR=201   |             length            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                     SSRC of packet sender                     |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |                 report blocks (RC x 24 bytes)                 |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |                  profile-specific extensions                  |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public sealed class ReceiverReport : IRtcpPacket
{
    private const int SsrcSize = 4;

    public uint Ssrc { get; set; }
    public ReceptionReport[] Reports { get; set; } = [];
    public byte[] ProfileExtensions { get; set; } = [];

    public int MarshalSize => RtcpHeader.Size + SsrcSize + (Reports.Length * ReceptionReport.Size) + ((ProfileExtensions.Length + 3) & ~3);

    public int MarshalTo(Span<byte> destination)
    {
        int size = MarshalSize;
        RtcpHeader.Write(destination, Reports.Length, RtcpPacketType.ReceiverReport, size);
        var body = destination[RtcpHeader.Size..size];
        BinaryPrimitives.WriteUInt32BigEndian(body, Ssrc);
        int offset = SsrcSize;
        foreach (var report in Reports)
        {
            offset += report.Write(body[offset..]);
        }
        ProfileExtensions.CopyTo(body[offset..]);
        body[(offset + ProfileExtensions.Length)..].Clear();
        return size;
    }

    public static bool TryUnmarshal(ReadOnlySpan<byte> data, out ReceiverReport packet, out ParseError error)
    {
        packet = null!;
        if (!RtcpReader.TryReadPacket(data, RtcpPacketType.ReceiverReport, out var header, out var body, out error))
        {
            return false;
        }
        if (body.Length < SsrcSize)
        {
            error = ParseError.BadLength;
            return false;
        }
        if (!ReceptionReport.TryReadBlocks(body[SsrcSize..], header.Count, out var reports, out error))
        {
            return false;
        }
        packet = new ReceiverReport
        {
            Ssrc = BinaryPrimitives.ReadUInt32BigEndian(body),
            Reports = reports,
            ProfileExtensions = body[(SsrcSize + (reports.Length * ReceptionReport.Size))..].ToArray(),
        };
        return true;
    }
}
