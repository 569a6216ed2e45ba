using System.Buffers.Binary;
using System.Text;

namespace Streamer.KvStore;

/// <summary>
/// Marks a block removed in an append-only segment, so a restart does not bring it back.
/// <code>
/// +---------------------------------------------------------------+
/// |                      magic "KVT1"                             |  0
/// +-------------------------------+-------------------------------+
/// |     session id length         |  session id (UTF-8) ...       |  4
/// +-------------------------------+-------------------------------+
/// |                    sequence (i64) ...                         |
/// +---------------------------------------------------------------+
/// |            CRC-32C over everything before it                  |
/// +---------------------------------------------------------------+
/// </code>
/// Little-endian like <see cref="KvBlockCodec"/>.
/// </summary>
internal static class DiskTombstone
{
    public const uint Magic = 0x3154564B; // "KVT1"
    public const int PrefixLength = 6;
    public const int MaxLength = PrefixLength + KvBlockId.MaxSessionIdBytes + sizeof(long) + sizeof(uint);

    private const int SessionLengthOffset = 4;

    public static int GetLength(KvBlockId id) =>
        PrefixLength + Encoding.UTF8.GetByteCount(id.SessionId) + sizeof(long) + sizeof(uint);

    /// <summary>Total record length from the first <see cref="PrefixLength"/> bytes.</summary>
    public static int GetLength(ReadOnlySpan<byte> prefix) =>
        PrefixLength + BinaryPrimitives.ReadUInt16LittleEndian(prefix[SessionLengthOffset..]) + sizeof(long) + sizeof(uint);

    public static byte[] Encode(KvBlockId id)
    {
        var bytes = new byte[GetLength(id)];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, Magic);
        int sessionBytes = Encoding.UTF8.GetBytes(id.SessionId, bytes.AsSpan(PrefixLength));
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(SessionLengthOffset), (ushort)sessionBytes);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(PrefixLength + sessionBytes), id.Sequence);
        int crcOffset = bytes.Length - sizeof(uint);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(crcOffset), Crc32C.Compute(bytes.AsSpan(0, crcOffset)));
        return bytes;
    }

    public static bool TryDecode(ReadOnlySpan<byte> record, out KvBlockId id)
    {
        id = default;
        if (record.Length < PrefixLength || BinaryPrimitives.ReadUInt32LittleEndian(record) != Magic)
        {
            return false;
        }
        int length = GetLength(record);
        int sessionBytes = length - PrefixLength - sizeof(long) - sizeof(uint);
        if (record.Length < length || sessionBytes is 0 or > KvBlockId.MaxSessionIdBytes)
        {
            return false;
        }
        int crcOffset = length - sizeof(uint);
        if (Crc32C.Compute(record[..crcOffset]) != BinaryPrimitives.ReadUInt32LittleEndian(record[crcOffset..]))
        {
            return false;
        }
        ReadOnlySpan<byte> session = record.Slice(PrefixLength, sessionBytes);
        long sequence = BinaryPrimitives.ReadInt64LittleEndian(record[(PrefixLength + sessionBytes)..]);
        if (!System.Text.Unicode.Utf8.IsValid(session) || sequence < 0)
        {
            return false;
        }
        id = new KvBlockId(Encoding.UTF8.GetString(session), sequence);
        return true;
    }
}
