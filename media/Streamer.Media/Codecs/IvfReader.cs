using System.Buffers.Binary;
using System.Text;

namespace Streamer.Media.Codecs;

/// <summary>
/// Reads frames from an IVF file (the libvpx container). All fields are little-endian.
/// <code>
/// file header (32 bytes):              frame header (12 bytes):
///  0 "DKIF"   4 version  6 header size   0 frame size (u32)
///  8 fourcc  12 width   14 height        4 timestamp (u64)
/// 16 rate    20 scale   24 frame count
/// 28 unused
/// </code>
/// </summary>
public sealed class IvfReader
{
    private const int FileHeaderSize = 32;
    private const int FrameHeaderSize = 12;
    private const int HeaderSizeOffset = 6;
    private const int FourCcOffset = 8;
    private const int WidthOffset = 12;
    private const int HeightOffset = 14;
    private const int RateOffset = 16;
    private const int ScaleOffset = 20;
    private const int FrameCountOffset = 24;
    private const int TimestampOffset = 4;

    private readonly ReadOnlyMemory<byte> _file;
    private int _position;

    private IvfReader(ReadOnlyMemory<byte> file, int headerSize)
    {
        _file = file;
        _position = headerSize;
        var span = file.Span;
        FourCc = Encoding.ASCII.GetString(span.Slice(FourCcOffset, 4));
        Width = BinaryPrimitives.ReadUInt16LittleEndian(span[WidthOffset..]);
        Height = BinaryPrimitives.ReadUInt16LittleEndian(span[HeightOffset..]);
        TimebaseDenominator = BinaryPrimitives.ReadUInt32LittleEndian(span[RateOffset..]);
        TimebaseNumerator = BinaryPrimitives.ReadUInt32LittleEndian(span[ScaleOffset..]);
        FrameCount = BinaryPrimitives.ReadUInt32LittleEndian(span[FrameCountOffset..]);
    }

    public string FourCc { get; }
    public int Width { get; }
    public int Height { get; }
    public uint TimebaseDenominator { get; }
    public uint TimebaseNumerator { get; }
    public uint FrameCount { get; }

    /// <summary>Set when reading stopped at a damaged frame header rather than at the end.</summary>
    public ParseError LastError { get; private set; }

    public static bool TryOpen(ReadOnlyMemory<byte> file, out IvfReader? reader, out ParseError error)
    {
        reader = null;
        var span = file.Span;
        if (span.Length < FileHeaderSize)
        {
            error = ParseError.TooShort;
            return false;
        }
        if (!span[..4].SequenceEqual("DKIF"u8))
        {
            error = ParseError.BadMagic;
            return false;
        }
        int headerSize = BinaryPrimitives.ReadUInt16LittleEndian(span[HeaderSizeOffset..]);
        if (headerSize < FileHeaderSize || headerSize > span.Length)
        {
            error = ParseError.BadLength;
            return false;
        }
        reader = new IvfReader(file, headerSize);
        error = ParseError.None;
        return true;
    }

    public bool TryReadFrame(out ReadOnlyMemory<byte> frame, out ulong timestamp)
    {
        frame = default;
        timestamp = 0;
        var span = _file.Span;
        if (_position == span.Length)
        {
            return false;
        }
        if (span.Length - _position < FrameHeaderSize)
        {
            LastError = ParseError.TooShort;
            return false;
        }
        var size = BinaryPrimitives.ReadUInt32LittleEndian(span[_position..]);
        timestamp = BinaryPrimitives.ReadUInt64LittleEndian(span[(_position + TimestampOffset)..]);
        if (size > (uint)(span.Length - _position - FrameHeaderSize))
        {
            LastError = ParseError.BadLength;
            return false;
        }
        frame = _file.Slice(_position + FrameHeaderSize, (int)size);
        _position += FrameHeaderSize + (int)size;
        return true;
    }
}
