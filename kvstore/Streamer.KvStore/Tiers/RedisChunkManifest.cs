using System.Buffers.Binary;

namespace Streamer.KvStore;

/// <summary>
/// Value of a block's main key when the encoded block was split into chunk keys
/// (<c>{key}:0</c>, <c>{key}:1</c>, ...). A small block's main key holds the encoded block
/// itself; the two are told apart by their magic.
/// <code>
/// +---------------------------------------------------------------+
/// |                      magic "KVM1"                             |  0
/// +---------------------------------------------------------------+
/// |                 total encoded length                          |  4
/// +---------------------------------------------------------------+
/// |                      chunk count                              |  8
/// +---------------------------------------------------------------+
/// |             CRC-32C over bytes 0..11                          | 12
/// +---------------------------------------------------------------+
/// </code>
/// </summary>
internal readonly record struct RedisChunkManifest(int TotalLength, int ChunkCount)
{
    public const uint Magic = 0x314D564B; // "KVM1"
    public const int Length = 16;

    private const int TotalLengthOffset = 4;
    private const int ChunkCountOffset = 8;
    private const int CrcOffset = 12;

    public byte[] Encode()
    {
        var bytes = new byte[Length];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(TotalLengthOffset), TotalLength);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(ChunkCountOffset), ChunkCount);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(CrcOffset), Crc32C.Compute(bytes.AsSpan(0, CrcOffset)));
        return bytes;
    }

    public static bool IsManifest(ReadOnlySpan<byte> value) =>
        value.Length >= sizeof(uint) && BinaryPrimitives.ReadUInt32LittleEndian(value) == Magic;

    public static bool TryDecode(ReadOnlySpan<byte> value, out RedisChunkManifest manifest)
    {
        manifest = default;
        if (value.Length != Length || !IsManifest(value)
            || Crc32C.Compute(value[..CrcOffset]) != BinaryPrimitives.ReadUInt32LittleEndian(value[CrcOffset..]))
        {
            return false;
        }
        int total = BinaryPrimitives.ReadInt32LittleEndian(value[TotalLengthOffset..]);
        int chunks = BinaryPrimitives.ReadInt32LittleEndian(value[ChunkCountOffset..]);
        if (total <= 0 || chunks <= 0 || chunks > total)
        {
            return false;
        }
        manifest = new RedisChunkManifest(total, chunks);
        return true;
    }
}
