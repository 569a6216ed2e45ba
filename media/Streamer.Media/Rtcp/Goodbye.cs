using System.Buffers.Binary;
using System.Text;

namespace Streamer.Media.Rtcp;

/// <summary>
/// Goodbye (RFC 3550 section 6.6).
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|    SC   |   PT=BYE=203  |             length            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                           SSRC/CSRC                           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// :                              ...                              :
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |     length    |               reason for leaving            ... (opt)
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public sealed class Goodbye : IRtcpPacket
{
    private const int MaxSources = 31;
    private const int MaxReasonLength = 255;

    public uint[] Sources { get; set; } = [];
    public string Reason { get; set; } = string.Empty;

    private int ReasonBytes => Reason.Length == 0 ? 0 : Encoding.UTF8.GetByteCount(Reason);

    public int MarshalSize
    {
        get
        {
            int size = RtcpHeader.Size + (Sources.Length * 4);
            int reason = ReasonBytes;
            return reason == 0 ? size : size + ((1 + reason + 3) & ~3);
        }
    }

    public int MarshalTo(Span<byte> destination)
    {
        if (Sources.Length > MaxSources || ReasonBytes > MaxReasonLength)
        {
            throw new InvalidOperationException("BYE allows 31 sources and 255 bytes of reason.");
        }
        int size = MarshalSize;
        RtcpHeader.Write(destination, Sources.Length, RtcpPacketType.Goodbye, size);
        int offset = RtcpHeader.Size;
        foreach (uint source in Sources)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination[offset..], source);
            offset += 4;
        }
        if (offset < size)
        {
            int length = Encoding.UTF8.GetBytes(Reason, destination[(offset + 1)..]);
            destination[offset] = (byte)length;
            destination[(offset + 1 + length)..size].Clear();
        }
        return size;
    }

    public static bool TryUnmarshal(ReadOnlySpan<byte> data, out Goodbye packet, out ParseError error)
    {
        packet = null!;
        if (!RtcpReader.TryReadPacket(data, RtcpPacketType.Goodbye, out var header, out var body, out error))
        {
            return false;
        }
        int sourcesSize = header.Count * 4;
        if (body.Length < sourcesSize)
        {
            error = ParseError.BadLength;
            return false;
        }
        var sources = new uint[header.Count];
        for (int i = 0; i < sources.Length; i++)
        {
            sources[i] = BinaryPrimitives.ReadUInt32BigEndian(body[(i * 4)..]);
        }
        string reason = string.Empty;
        var rest = body[sourcesSize..];
        if (!rest.IsEmpty && rest[0] > 0)
        {
            if (1 + rest[0] > rest.Length)
            {
                error = ParseError.BadLength;
                return false;
            }
            reason = Encoding.UTF8.GetString(rest.Slice(1, rest[0]));
        }
        packet = new Goodbye { Sources = sources, Reason = reason };
        return true;
    }
}
