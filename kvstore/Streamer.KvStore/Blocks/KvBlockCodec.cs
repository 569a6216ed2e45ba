using System.Buffers.Binary;
using System.Text;

namespace Streamer.KvStore;

/// <summary>
/// The one binary form of a block, shared by the disk and Redis tiers.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +---------------------------------------------------------------+
/// |                      magic "KVB1"                             |  0
/// +-------------------------------+-------------------------------+
/// |            version            |         flags (zero)          |  4
/// +-------------------------------+-------------------------------+
/// |          total length (header, metadata, payload, CRC)        |  8
/// +---------------------------------------------------------------+
/// |                       metadata length                         | 12
/// +---------------------------------------------------------------+
/// |                        payload length                         | 16
/// +---------------------------------------------------------------+
/// |        header CRC-32C over bytes 0..19 and the metadata       | 20
/// +---------------------------------------------------------------+
/// |                     metadata ...                              | 24
/// +---------------------------------------------------------------+
/// |                     payload ...                               |
/// +---------------------------------------------------------------+
/// |          record CRC-32C over everything before it             |
/// +---------------------------------------------------------------+
/// </code>
/// Metadata: u16 session id length, UTF-8 session id, i64 sequence, i64 media start ticks,
/// i64 media end ticks, i32 token count, u8 dtype length, ASCII dtype, i32 layer count, per
/// layer u8 rank and rank x i32 dims, i32 rotary rows, rows x tokens x i32 positions,
/// i32 retrieval dim, layers x dim x f32 retrieval keys.
/// Integers are little-endian, unlike wire protocols: this is a storage format read and
/// written by the same kind of machine, and the float arrays then copy as plain memory.
/// The header CRC lets a disk scan or a Redis listing trust the metadata without reading
/// the payload; the record CRC is checked on every read of the whole block.
/// </summary>
public static class KvBlockCodec
{
    public const uint Magic = 0x3142564B; // "KVB1" read as a little-endian u32
    public const ushort CurrentVersion = 1;
    public const int HeaderLength = 24;
    public const int TrailerLength = 4;

    private const int MagicOffset = 0;
    private const int VersionOffset = 4;
    private const int FlagsOffset = 6;
    private const int TotalLengthOffset = 8;
    private const int MetadataLengthOffset = 12;
    private const int PayloadLengthOffset = 16;
    private const int HeaderCrcOffset = 20;

    public static int GetEncodedLength(KvBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        long total = HeaderLength + (long)GetMetadataLength(block.Metadata) + block.Payload.Length + TrailerLength;
        if (total > Array.MaxLength)
        {
            throw new ArgumentException("The block is too large to encode.", nameof(block));
        }
        return (int)total;
    }

    public static byte[] Encode(KvBlock block)
    {
        var bytes = new byte[GetEncodedLength(block)];
        Encode(block, bytes);
        return bytes;
    }

    /// <summary>Writes the block into <paramref name="destination"/>; returns the bytes written.</summary>
    public static int Encode(KvBlock block, Span<byte> destination)
    {
        int total = GetEncodedLength(block);
        if (destination.Length < total)
        {
            throw new ArgumentException("The destination is shorter than the encoded block.", nameof(destination));
        }
        int metadataLength = GetMetadataLength(block.Metadata);
        Span<byte> record = destination[..total];
        BinaryPrimitives.WriteUInt32LittleEndian(record[MagicOffset..], Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(record[VersionOffset..], CurrentVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(record[FlagsOffset..], 0);
        BinaryPrimitives.WriteInt32LittleEndian(record[TotalLengthOffset..], total);
        BinaryPrimitives.WriteInt32LittleEndian(record[MetadataLengthOffset..], metadataLength);
        BinaryPrimitives.WriteInt32LittleEndian(record[PayloadLengthOffset..], block.Payload.Length);
        WriteMetadata(block.Metadata, record.Slice(HeaderLength, metadataLength));
        uint headerCrc = Crc32C.Append(Crc32C.Compute(record[..HeaderCrcOffset]), record.Slice(HeaderLength, metadataLength));
        BinaryPrimitives.WriteUInt32LittleEndian(record[HeaderCrcOffset..], headerCrc);
        block.Payload.Span.CopyTo(record[(HeaderLength + metadataLength)..]);
        int crcOffset = total - TrailerLength;
        BinaryPrimitives.WriteUInt32LittleEndian(record[crcOffset..], Crc32C.Compute(record[..crcOffset]));
        return total;
    }

    /// <summary>Reads and checks the fixed header; the CRCs are not checked here.</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> source, out KvBlockRecordHeader header, out KvBlockCodecError error)
    {
        header = default;
        if (source.Length < HeaderLength)
        {
            error = KvBlockCodecError.TooShort;
            return false;
        }
        if (BinaryPrimitives.ReadUInt32LittleEndian(source[MagicOffset..]) != Magic)
        {
            error = KvBlockCodecError.BadMagic;
            return false;
        }
        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(source[VersionOffset..]);
        if (version != CurrentVersion)
        {
            error = KvBlockCodecError.UnsupportedVersion;
            return false;
        }
        int total = BinaryPrimitives.ReadInt32LittleEndian(source[TotalLengthOffset..]);
        int metadataLength = BinaryPrimitives.ReadInt32LittleEndian(source[MetadataLengthOffset..]);
        int payloadLength = BinaryPrimitives.ReadInt32LittleEndian(source[PayloadLengthOffset..]);
        if (metadataLength < 0 || payloadLength < 0
            || (long)HeaderLength + metadataLength + payloadLength + TrailerLength != total)
        {
            error = KvBlockCodecError.BadLength;
            return false;
        }
        header = new KvBlockRecordHeader(version, total, metadataLength, payloadLength);
        error = KvBlockCodecError.None;
        return true;
    }

    /// <summary>
    /// Decodes only the metadata from the start of a record (at least
    /// <see cref="KvBlockRecordHeader.HeaderAndMetadataLength"/> bytes), checking the header CRC.
    /// </summary>
    public static bool TryDecodeMetadata(ReadOnlySpan<byte> source, out KvBlockMetadata? metadata, out KvBlockCodecError error)
    {
        metadata = null;
        if (!TryReadHeader(source, out KvBlockRecordHeader header, out error))
        {
            return false;
        }
        if (source.Length < header.HeaderAndMetadataLength)
        {
            error = KvBlockCodecError.TooShort;
            return false;
        }
        ReadOnlySpan<byte> metadataBytes = source.Slice(HeaderLength, header.MetadataLength);
        uint headerCrc = Crc32C.Append(Crc32C.Compute(source[..HeaderCrcOffset]), metadataBytes);
        if (headerCrc != BinaryPrimitives.ReadUInt32LittleEndian(source[HeaderCrcOffset..]))
        {
            error = KvBlockCodecError.BadChecksum;
            return false;
        }
        metadata = ReadMetadata(metadataBytes);
        error = metadata is null ? KvBlockCodecError.BadMetadata : KvBlockCodecError.None;
        return metadata is not null;
    }

    /// <summary>
    /// Decodes a whole record, checking both CRCs. The payload is a slice of
    /// <paramref name="source"/>, not a copy, so the caller hands over that buffer.
    /// </summary>
    public static bool TryDecode(ReadOnlyMemory<byte> source, out KvBlock? block, out KvBlockCodecError error)
    {
        block = null;
        ReadOnlySpan<byte> span = source.Span;
        if (!TryReadHeader(span, out KvBlockRecordHeader header, out error))
        {
            return false;
        }
        if (span.Length < header.TotalLength)
        {
            error = KvBlockCodecError.TooShort;
            return false;
        }
        int crcOffset = header.TotalLength - TrailerLength;
        if (Crc32C.Compute(span[..crcOffset]) != BinaryPrimitives.ReadUInt32LittleEndian(span[crcOffset..]))
        {
            error = KvBlockCodecError.BadChecksum;
            return false;
        }
        if (!TryDecodeMetadata(span, out KvBlockMetadata? metadata, out error))
        {
            return false;
        }
        block = new KvBlock(metadata!, source.Slice(header.HeaderAndMetadataLength, header.PayloadLength));
        return true;
    }

    private static int GetMetadataLength(KvBlockMetadata m)
    {
        long length = sizeof(ushort) + Encoding.UTF8.GetByteCount(m.Id.SessionId)
            + sizeof(long) * 3 + sizeof(int)
            + sizeof(byte) + m.DType.Length
            + sizeof(int);
        foreach (int[] shape in m.LayerShapes)
        {
            length += sizeof(byte) + (long)sizeof(int) * shape.Length;
        }
        length += sizeof(int) + (long)sizeof(int) * m.RotaryPositions.Length;
        length += sizeof(int) + (long)sizeof(float) * m.LayerCount * m.RetrievalDimension;
        if (length > int.MaxValue)
        {
            throw new ArgumentException("The block metadata is too large to encode.");
        }
        return (int)length;
    }

    private static void WriteMetadata(KvBlockMetadata m, Span<byte> destination)
    {
        var writer = new SpanWriter(destination);
        int sessionBytes = Encoding.UTF8.GetByteCount(m.Id.SessionId);
        writer.WriteUInt16((ushort)sessionBytes);
        writer.WriteUtf8(m.Id.SessionId, sessionBytes);
        writer.WriteInt64(m.Id.Sequence);
        writer.WriteInt64(m.MediaStart.Ticks);
        writer.WriteInt64(m.MediaEnd.Ticks);
        writer.WriteInt32(m.TokenCount);
        writer.WriteByte((byte)m.DType.Length);
        writer.WriteUtf8(m.DType, m.DType.Length);
        writer.WriteInt32(m.LayerCount);
        foreach (int[] shape in m.LayerShapes)
        {
            writer.WriteByte((byte)shape.Length);
            foreach (int dim in shape)
            {
                writer.WriteInt32(dim);
            }
        }
        writer.WriteInt32(m.RotaryRows);
        foreach (int position in m.RotaryPositions)
        {
            writer.WriteInt32(position);
        }
        writer.WriteInt32(m.RetrievalDimension);
        foreach (float[] key in m.RetrievalKeys)
        {
            foreach (float value in key)
            {
                writer.WriteSingle(value);
            }
        }
    }

    // Returns null for anything that is not a valid description; every count is checked
    // against the bytes left before anything is allocated.
    private static KvBlockMetadata? ReadMetadata(ReadOnlySpan<byte> source)
    {
        var reader = new SpanReader(source);
        if (!reader.TryReadUInt16(out ushort sessionBytes) || sessionBytes is 0 or > KvBlockId.MaxSessionIdBytes
            || !reader.TryReadUtf8(sessionBytes, out string? sessionId)
            || !reader.TryReadInt64(out long sequence) || sequence < 0
            || !reader.TryReadInt64(out long startTicks)
            || !reader.TryReadInt64(out long endTicks) || endTicks < startTicks
            || !reader.TryReadInt32(out int tokenCount) || tokenCount < 0
            || !reader.TryReadByte(out byte dTypeLength) || dTypeLength is 0 or > KvBlockMetadata.MaxDTypeLength
            || !reader.TryReadUtf8(dTypeLength, out string? dType) || !System.Text.Ascii.IsValid(dType)
            || !reader.TryReadInt32(out int layerCount) || layerCount is <= 0 or > KvBlockMetadata.MaxLayers)
        {
            return null;
        }
        var shapes = new int[layerCount][];
        for (int layer = 0; layer < layerCount; layer++)
        {
            if (!reader.TryReadByte(out byte rank) || rank > KvBlockMetadata.MaxRank || reader.Remaining < rank * sizeof(int))
            {
                return null;
            }
            shapes[layer] = new int[rank];
            for (int d = 0; d < rank; d++)
            {
                reader.TryReadInt32(out shapes[layer][d]);
                if (shapes[layer][d] < 0)
                {
                    return null;
                }
            }
        }
        if (!reader.TryReadInt32(out int rotaryRows) || rotaryRows < 0
            || (long)rotaryRows * tokenCount * sizeof(int) > reader.Remaining)
        {
            return null;
        }
        var positions = new int[rotaryRows * tokenCount];
        for (int i = 0; i < positions.Length; i++)
        {
            reader.TryReadInt32(out positions[i]);
        }
        if (!reader.TryReadInt32(out int dim) || dim <= 0
            || (long)dim * layerCount * sizeof(float) != reader.Remaining)
        {
            return null;
        }
        var keys = new float[layerCount][];
        for (int layer = 0; layer < layerCount; layer++)
        {
            keys[layer] = new float[dim];
            for (int i = 0; i < dim; i++)
            {
                reader.TryReadSingle(out keys[layer][i]);
            }
        }
        try
        {
            return new KvBlockMetadata(new KvBlockId(sessionId!, sequence), TimeSpan.FromTicks(startTicks),
                TimeSpan.FromTicks(endTicks), tokenCount, dType!, shapes, rotaryRows, positions, keys);
        }
        catch (ArgumentException)
        {
            // Every rule the constructor enforces is checked above; this only keeps a rule
            // added there later from turning damaged bytes into an exception.
            return null;
        }
    }
}
