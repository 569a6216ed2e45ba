using System.Buffers.Binary;

namespace Streamer.Media.Rtsp;

/// <summary>
/// RTP or RTCP carried on the RTSP connection (RFC 2326 section 10.12):
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  '$' (0x24)   |    channel    |            length             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  RTP or RTCP packet (length bytes) ...        |
/// </code>
/// </summary>
public readonly record struct RtspInterleavedFrame(byte Channel, int Length)
{
    public const byte Magic = (byte)'$';
    public const int HeaderSize = 4;
    private const int ChannelOffset = 1;
    private const int LengthOffset = 2;

    public int MarshalSize => HeaderSize;

    /// <summary>Writes the 4-byte header; the packet follows it.</summary>
    public int MarshalTo(Span<byte> destination)
    {
        destination[0] = Magic;
        destination[ChannelOffset] = Channel;
        BinaryPrimitives.WriteUInt16BigEndian(destination[LengthOffset..], checked((ushort)Length));
        return HeaderSize;
    }

    /// <summary>Reads the header at the start of <paramref name="data"/>; the packet may not have arrived yet.</summary>
    public static bool TryUnmarshal(ReadOnlySpan<byte> data, out RtspInterleavedFrame frame, out ParseError error)
    {
        frame = default;
        if (data.Length < HeaderSize)
        {
            error = ParseError.TooShort;
            return false;
        }
        if (data[0] != Magic)
        {
            error = ParseError.BadMagic;
            return false;
        }
        frame = new RtspInterleavedFrame(data[ChannelOffset], BinaryPrimitives.ReadUInt16BigEndian(data[LengthOffset..]));
        error = ParseError.None;
        return true;
    }
}
