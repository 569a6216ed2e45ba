using System.Buffers.Binary;
using System.Text;

namespace Streamer.Media.Rtcp;

/// <summary>SDES item types (RFC 3550 section 6.5).</summary>
public enum SdesItemType : byte
{
    End = 0,
    Cname = 1,
    Name = 2,
    Email = 3,
    Phone = 4,
    Location = 5,
    Tool = 6,
    Note = 7,
    Private = 8,
}

/// <summary>One SDES item: a type and up to 255 bytes of UTF-8 text.</summary>
public sealed record SdesItem(SdesItemType Type, string Text);

/// <summary>The items describing one source.</summary>
public sealed record SdesChunk(uint Source, IReadOnlyList<SdesItem> Items);

/// <summary>
/// Source description (RFC 3550 section 6.5).
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|    SC   |  PT=SDES=202  |             length            |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |                          SSRC/CSRC_1                          |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |     type      |     length    |   text ...  | END=0 | pad to 4 |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// </code>
/// Each chunk ends with at least one zero byte and is padded to a 32-bit boundary.
/// </summary>
public sealed class SourceDescription : IRtcpPacket
{
    private const int SourceSize = 4;
    private const int ItemHeaderSize = 2;
    private const int MaxTextLength = 255;
    private const int MaxChunks = 31;

    public List<SdesChunk> Chunks { get; } = [];

    public static SourceDescription ForCname(uint source, string cname)
    {
        var sdes = new SourceDescription();
        sdes.Chunks.Add(new SdesChunk(source, [new SdesItem(SdesItemType.Cname, cname)]));
        return sdes;
    }

    /// <summary>The CNAME of <paramref name="source"/>, if present.</summary>
    public string? GetCname(uint source)
    {
        foreach (var chunk in Chunks)
        {
            if (chunk.Source != source)
            {
                continue;
            }
            foreach (var item in chunk.Items)
            {
                if (item.Type == SdesItemType.Cname)
                {
                    return item.Text;
                }
            }
        }
        return null;
    }

    private static int ChunkSize(SdesChunk chunk)
    {
        int size = SourceSize;
        foreach (var item in chunk.Items)
        {
            int length = Encoding.UTF8.GetByteCount(item.Text);
            if (length > MaxTextLength)
            {
                throw new InvalidOperationException("SDES text is at most 255 bytes.");
            }
            size += ItemHeaderSize + length;
        }
        // END byte, then pad to a word.
        return (size + 1 + 3) & ~3;
    }

    public int MarshalSize
    {
        get
        {
            int size = RtcpHeader.Size;
            foreach (var chunk in Chunks)
            {
                size += ChunkSize(chunk);
            }
            return size;
        }
    }

    public int MarshalTo(Span<byte> destination)
    {
        if (Chunks.Count > MaxChunks)
        {
            throw new InvalidOperationException("At most 31 SDES chunks fit one packet.");
        }
        int size = MarshalSize;
        RtcpHeader.Write(destination, Chunks.Count, RtcpPacketType.SourceDescription, size);
        int offset = RtcpHeader.Size;
        foreach (var chunk in Chunks)
        {
            int end = offset + ChunkSize(chunk);
            BinaryPrimitives.WriteUInt32BigEndian(destination[offset..], chunk.Source);
            offset += SourceSize;
            foreach (var item in chunk.Items)
            {
                destination[offset] = (byte)item.Type;
                int length = Encoding.UTF8.GetBytes(item.Text, destination[(offset + ItemHeaderSize)..]);
                destination[offset + 1] = (byte)length;
                offset += ItemHeaderSize + length;
            }
            destination[offset..end].Clear();
            offset = end;
        }
        return size;
    }

    public static bool TryUnmarshal(ReadOnlySpan<byte> data, out SourceDescription packet, out ParseError error)
    {
        packet = null!;
        if (!RtcpReader.TryReadPacket(data, RtcpPacketType.SourceDescription, out var header, out var body, out error))
        {
            return false;
        }
        var result = new SourceDescription();
        int offset = 0;
        for (int c = 0; c < header.Count; c++)
        {
            if (offset + SourceSize > body.Length)
            {
                error = ParseError.BadLength;
                return false;
            }
            uint source = BinaryPrimitives.ReadUInt32BigEndian(body[offset..]);
            offset += SourceSize;
            var items = new List<SdesItem>();
            while (true)
            {
                if (offset >= body.Length)
                {
                    // A chunk must end with an END item.
                    error = ParseError.BadLength;
                    return false;
                }
                var type = (SdesItemType)body[offset];
                if (type == SdesItemType.End)
                {
                    // Skip END and the padding up to the next word (offsets are word aligned
                    // relative to the packet because the header is one word).
                    offset = (offset + 4) & ~3;
                    break;
                }
                if (offset + ItemHeaderSize > body.Length)
                {
                    error = ParseError.BadLength;
                    return false;
                }
                int length = body[offset + 1];
                offset += ItemHeaderSize;
                if (offset + length > body.Length)
                {
                    error = ParseError.BadLength;
                    return false;
                }
                items.Add(new SdesItem(type, Encoding.UTF8.GetString(body.Slice(offset, length))));
                offset += length;
            }
            result.Chunks.Add(new SdesChunk(source, items));
        }
        packet = result;
        return true;
    }
}
