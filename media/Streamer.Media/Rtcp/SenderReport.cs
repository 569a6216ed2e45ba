using System.Buffers.Binary;

namespace Streamer.Media.Rtcp;

/// <summary>
/// Sender report (RFC 3550 section 6.4.1).
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|    RC   |   PT=SR=200   |             length            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         SSRC of sender                        |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |              NTP timestamp, most significant word             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |             NTP timestamp, least significant word             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         RTP timestamp                         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                     sender's packet count                     |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                      sender's octet count                     |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |                 report blocks (RC x 24 bytes)                 |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |                  profile-specific extensions                  |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public sealed class SenderReport : IRtcpPacket
{
    private const int SsrcOffset = 0;
    private const int NtpOffset = 4;
    private const int RtpTimeOffset = 12;
    private const int PacketCountOffset = 16;
    private const int OctetCountOffset = 20;
    private const int SenderInfoSize = 24;

    public uint Ssrc { get; set; }
    /// <summary>64-bit NTP timestamp (32.32 seconds since 1900).</summary>
    public ulong NtpTime { get; set; }
    public uint RtpTime { get; set; }
    public uint PacketCount { get; set; }
    public uint OctetCount { get; set; }
    public ReceptionReport[] Reports { get; set; } = [];
    public byte[] ProfileExtensions { get; set; } = [];

    public int MarshalSize => RtcpHeader.Size + SenderInfoSize + (Reports.Length * ReceptionReport.Size) + ((ProfileExtensions.Length + 3) & ~3);

    public int MarshalTo(Span<byte> destination)
    {
        int size = MarshalSize;
        RtcpHeader.Write(destination, Reports.Length, RtcpPacketType.SenderReport, size);
        var body = destination[RtcpHeader.Size..size];
        BinaryPrimitives.WriteUInt32BigEndian(body[SsrcOffset..], Ssrc);
        BinaryPrimitives.WriteUInt64BigEndian(body[NtpOffset..], NtpTime);
        BinaryPrimitives.WriteUInt32BigEndian(body[RtpTimeOffset..], RtpTime);
        BinaryPrimitives.WriteUInt32BigEndian(body[PacketCountOffset..], PacketCount);
        BinaryPrimitives.WriteUInt32BigEndian(body[OctetCountOffset..], OctetCount);
        int offset = SenderInfoSize;
        foreach (var report in Reports)
        {
            offset += report.Write(body[offset..]);
        }
        ProfileExtensions.CopyTo(body[offset..]);
        body[(offset + ProfileExtensions.Length)..].Clear();
        return size;
    }

    public static bool TryUnmarshal(ReadOnlySpan<byte> data, out SenderReport packet, out ParseError error)
    {
        packet = null!;
        if (!RtcpReader.TryReadPacket(data, RtcpPacketType.SenderReport, out var header, out var body, out error))
        {
            return false;
        }
        if (body.Length < SenderInfoSize)
        {
            error = ParseError.BadLength;
            return false;
        }
        if (!ReceptionReport.TryReadBlocks(body[SenderInfoSize..], header.Count, out var reports, out error))
        {
            return false;
        }
        packet = new SenderReport
        {
            Ssrc = BinaryPrimitives.ReadUInt32BigEndian(body[SsrcOffset..]),
            NtpTime = BinaryPrimitives.ReadUInt64BigEndian(body[NtpOffset..]),
            RtpTime = BinaryPrimitives.ReadUInt32BigEndian(body[RtpTimeOffset..]),
            PacketCount = BinaryPrimitives.ReadUInt32BigEndian(body[PacketCountOffset..]),
            OctetCount = BinaryPrimitives.ReadUInt32BigEndian(body[OctetCountOffset..]),
            Reports = reports,
            ProfileExtensions = body[(SenderInfoSize + (reports.Length * ReceptionReport.Size))..].ToArray(),
        };
        return true;
    }
}
