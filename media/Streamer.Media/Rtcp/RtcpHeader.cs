using System.Buffers.Binary;

namespace Streamer.Media.Rtcp;

/// <summary>
/// The common RTCP header (RFC 3550 section 6.4.1).
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|  count  |      PT       |             length            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Length counts 32-bit words minus one. Count is the report/chunk count or, for feedback
/// packets, the FMT.
/// </summary>
public readonly record struct RtcpHeader(bool Padding, int Count, byte PacketType, int Length)
{
    public const int Size = 4;
    private const int Version = 2;
    private const int MaxCount = 31;
    private const int LengthOffset = 2;

    /// <summary>Bytes of the whole packet the header describes.</summary>
    public int PacketSize => (Length + 1) * 4;

    public static bool TryUnmarshal(ReadOnlySpan<byte> data, out RtcpHeader header, out ParseError error)
    {
        header = default;
        if (data.Length < Size)
        {
            error = ParseError.TooShort;
            return false;
        }
        if ((data[0] >> 6) != Version)
        {
            error = ParseError.BadVersion;
            return false;
        }
        header = new RtcpHeader((data[0] & 0x20) != 0, data[0] & 0x1F, data[1], BinaryPrimitives.ReadUInt16BigEndian(data[LengthOffset..]));
        error = ParseError.None;
        return true;
    }

    public int MarshalTo(Span<byte> destination)
    {
        if (Count is < 0 or > MaxCount)
        {
            throw new InvalidOperationException("RTCP count is 5 bits.");
        }
        destination[0] = (byte)((Version << 6) | (Padding ? 0x20 : 0) | Count);
        destination[1] = PacketType;
        BinaryPrimitives.WriteUInt16BigEndian(destination[LengthOffset..], checked((ushort)Length));
        return Size;
    }

    /// <summary>Writes a header for a packet of <paramref name="packetSize"/> bytes (a multiple of 4).</summary>
    public static int Write(Span<byte> destination, int count, byte packetType, int packetSize)
    {
        if (destination.Length < packetSize)
        {
            throw new ArgumentException("Destination too small.", nameof(destination));
        }
        return new RtcpHeader(false, count, packetType, (packetSize / 4) - 1).MarshalTo(destination);
    }
}
