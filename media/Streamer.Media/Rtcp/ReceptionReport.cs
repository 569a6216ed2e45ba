using System.Buffers.Binary;

namespace Streamer.Media.Rtcp;

/// <summary>
/// One report block of an SR or RR (RFC 3550 section 6.4.1).
/// <code>
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |                 SSRC_1 (SSRC of first source)                 |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// | fraction lost |       cumulative number of packets lost       |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |           extended highest sequence number received           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                      interarrival jitter                      |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         last SR (LSR)                         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                   delay since last SR (DLSR)                  |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// </code>
/// TotalLost is a signed 24-bit value (duplicates can make it negative).
/// </summary>
public readonly record struct ReceptionReport(uint Ssrc, byte FractionLost, int TotalLost, uint LastSequenceNumber,
    uint Jitter, uint LastSenderReport, uint Delay)
{
    public const int Size = 24;
    private const int LostOffset = 4;
    private const int SequenceOffset = 8;
    private const int JitterOffset = 12;
    private const int LsrOffset = 16;
    private const int DlsrOffset = 20;
    private const int MaxLost = 0x7FFFFF;
    private const int MinLost = -0x800000;

    public static ReceptionReport Read(ReadOnlySpan<byte> data)
    {
        int lost = (data[LostOffset + 1] << 16) | (data[LostOffset + 2] << 8) | data[LostOffset + 3];
        // Sign-extend the 24-bit field.
        lost = (lost << 8) >> 8;
        return new ReceptionReport(
            BinaryPrimitives.ReadUInt32BigEndian(data),
            data[LostOffset],
            lost,
            BinaryPrimitives.ReadUInt32BigEndian(data[SequenceOffset..]),
            BinaryPrimitives.ReadUInt32BigEndian(data[JitterOffset..]),
            BinaryPrimitives.ReadUInt32BigEndian(data[LsrOffset..]),
            BinaryPrimitives.ReadUInt32BigEndian(data[DlsrOffset..]));
    }

    public int Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, Ssrc);
        int lost = Math.Clamp(TotalLost, MinLost, MaxLost);
        destination[LostOffset] = FractionLost;
        destination[LostOffset + 1] = (byte)(lost >> 16);
        destination[LostOffset + 2] = (byte)(lost >> 8);
        destination[LostOffset + 3] = (byte)lost;
        BinaryPrimitives.WriteUInt32BigEndian(destination[SequenceOffset..], LastSequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(destination[JitterOffset..], Jitter);
        BinaryPrimitives.WriteUInt32BigEndian(destination[LsrOffset..], LastSenderReport);
        BinaryPrimitives.WriteUInt32BigEndian(destination[DlsrOffset..], Delay);
        return Size;
    }

    internal static bool TryReadBlocks(ReadOnlySpan<byte> data, int count, out ReceptionReport[] reports, out ParseError error)
    {
        reports = [];
        if (data.Length < count * Size)
        {
            error = ParseError.BadLength;
            return false;
        }
        if (count > 0)
        {
            reports = new ReceptionReport[count];
            for (int i = 0; i < count; i++)
            {
                reports[i] = Read(data[(i * Size)..]);
            }
        }
        error = ParseError.None;
        return true;
    }
}
