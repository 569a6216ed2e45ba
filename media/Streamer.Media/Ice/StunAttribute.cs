using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Streamer.Media.Ice;

/// <summary>
/// One STUN attribute: type and value, without the padding to a 4-byte boundary.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |         Type                  |            Length             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         Value (variable)                ....
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Unknown attributes are kept as they came so a message can be inspected or re-sent.
/// </summary>
public readonly record struct StunAttribute(ushort Type, ReadOnlyMemory<byte> Value)
{
    public const int HeaderSize = 4;

    /// <summary>Bytes on the wire: header, value and padding.</summary>
    public int MarshalSize => HeaderSize + Padded(Value.Length);

    internal static int Padded(int length) => (length + 3) & ~3;

    public static StunAttribute Username(string username) =>
        new(StunAttributeType.Username, Encoding.UTF8.GetBytes(username));

    public static StunAttribute Software(string software) =>
        new(StunAttributeType.Software, Encoding.UTF8.GetBytes(software));

    public static StunAttribute Priority(uint priority)
    {
        var value = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(value, priority);
        return new StunAttribute(StunAttributeType.Priority, value);
    }

    public static StunAttribute UseCandidate() => new(StunAttributeType.UseCandidate, ReadOnlyMemory<byte>.Empty);

    public static StunAttribute IceControlling(ulong tieBreaker) => TieBreaker(StunAttributeType.IceControlling, tieBreaker);

    public static StunAttribute IceControlled(ulong tieBreaker) => TieBreaker(StunAttributeType.IceControlled, tieBreaker);

    /// <summary>ERROR-CODE: class (hundreds) and number (0-99) after two reserved bytes, then a UTF-8 reason.</summary>
    public static StunAttribute ErrorCode(int code, string reason)
    {
        if (code is < 300 or > 699)
        {
            throw new ArgumentOutOfRangeException(nameof(code), code, "STUN error codes are 300-699.");
        }
        int reasonLength = Encoding.UTF8.GetByteCount(reason);
        var value = new byte[4 + reasonLength];
        value[2] = (byte)(code / 100);
        value[3] = (byte)(code % 100);
        Encoding.UTF8.GetBytes(reason, value.AsSpan(4));
        return new StunAttribute(StunAttributeType.ErrorCode, value);
    }

    public static StunAttribute XorMappedAddress(IPEndPoint endPoint, ReadOnlySpan<byte> transactionId)
    {
        var value = new byte[StunXorAddress.GetSize(endPoint.Address)];
        StunXorAddress.Encode(endPoint, transactionId, value);
        return new StunAttribute(StunAttributeType.XorMappedAddress, value);
    }

    private static StunAttribute TieBreaker(ushort type, ulong tieBreaker)
    {
        var value = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(value, tieBreaker);
        return new StunAttribute(type, value);
    }
}
