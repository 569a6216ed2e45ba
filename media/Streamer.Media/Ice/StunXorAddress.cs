using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Streamer.Media.Ice;

/// <summary>
/// The XOR-MAPPED-ADDRESS value (RFC 8489 section 14.2).
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |0 0 0 0 0 0 0 0|    Family     |         X-Port                |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                X-Address (Variable)
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// The port is XORed with the cookie's top 16 bits; an IPv4 address with the cookie, an IPv6
/// address with the cookie followed by the transaction id.
/// </summary>
public static class StunXorAddress
{
    public const byte FamilyIPv4 = 0x01;
    public const byte FamilyIPv6 = 0x02;
    private const int FamilyOffset = 1;
    private const int PortOffset = 2;
    private const int AddressOffset = 4;
    private const int IPv4Size = AddressOffset + 4;
    private const int IPv6Size = AddressOffset + 16;

    /// <summary>Value size for an address; IPv4-mapped IPv6 addresses travel as IPv4.</summary>
    public static int GetSize(IPAddress address) =>
        Normalize(address).AddressFamily == AddressFamily.InterNetwork ? IPv4Size : IPv6Size;

    public static int Encode(IPEndPoint endPoint, ReadOnlySpan<byte> transactionId, Span<byte> value)
    {
        IPAddress address = Normalize(endPoint.Address);
        int size = GetSize(address);
        value[0] = 0;
        value[FamilyOffset] = size == IPv4Size ? FamilyIPv4 : FamilyIPv6;
        BinaryPrimitives.WriteUInt16BigEndian(value[PortOffset..], (ushort)(endPoint.Port ^ (StunMessage.MagicCookie >> 16)));
        Span<byte> mask = stackalloc byte[16];
        WriteMask(transactionId, mask);
        Span<byte> addressBytes = value[AddressOffset..size];
        address.TryWriteBytes(addressBytes, out _);
        for (int i = 0; i < addressBytes.Length; i++)
        {
            addressBytes[i] ^= mask[i];
        }
        return size;
    }

    public static bool TryDecode(ReadOnlySpan<byte> value, ReadOnlySpan<byte> transactionId, out IPEndPoint? endPoint)
    {
        endPoint = null;
        if (value.Length < AddressOffset || transactionId.Length != StunMessage.TransactionIdSize)
        {
            return false;
        }
        int size = value[FamilyOffset] switch
        {
            FamilyIPv4 => IPv4Size,
            FamilyIPv6 => IPv6Size,
            _ => 0,
        };
        if (size == 0 || value.Length != size)
        {
            return false;
        }
        int port = BinaryPrimitives.ReadUInt16BigEndian(value[PortOffset..]) ^ (int)(StunMessage.MagicCookie >> 16);
        Span<byte> mask = stackalloc byte[16];
        WriteMask(transactionId, mask);
        Span<byte> addressBytes = stackalloc byte[size - AddressOffset];
        for (int i = 0; i < addressBytes.Length; i++)
        {
            addressBytes[i] = (byte)(value[AddressOffset + i] ^ mask[i]);
        }
        endPoint = new IPEndPoint(new IPAddress(addressBytes), port);
        return true;
    }

    internal static bool IsValid(ReadOnlySpan<byte> value) =>
        value.Length >= AddressOffset
        && ((value[FamilyOffset] == FamilyIPv4 && value.Length == IPv4Size)
            || (value[FamilyOffset] == FamilyIPv6 && value.Length == IPv6Size));

    private static IPAddress Normalize(IPAddress address) =>
        address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private static void WriteMask(ReadOnlySpan<byte> transactionId, Span<byte> mask)
    {
        BinaryPrimitives.WriteUInt32BigEndian(mask, StunMessage.MagicCookie);
        transactionId.CopyTo(mask[4..]);
    }
}
