namespace Streamer.Media.Codecs;

/// <summary>
/// Splits an H.264/H.265 Annex-B byte stream (ITU-T H.264 annex B) at its 3- or 4-byte
/// start codes into NAL units. Zero bytes before a start code belong to the start code.
/// </summary>
public ref struct AnnexBReader
{
    private readonly ReadOnlySpan<byte> _stream;
    private int _position;

    public AnnexBReader(ReadOnlySpan<byte> stream)
    {
        _stream = stream;
        _position = FindStartCode(stream, 0, out var length) is var start and >= 0 ? start + length : stream.Length;
    }

    /// <summary>Reads the next NAL unit as an offset and length into the stream.</summary>
    public bool TryReadNalUnit(out int offset, out int length)
    {
        while (_position < _stream.Length)
        {
            var next = FindStartCode(_stream, _position, out var startCodeLength);
            var end = next < 0 ? _stream.Length : next;
            offset = _position;
            length = end - _position;
            while (length > 0 && _stream[offset + length - 1] == 0)
            {
                length--;
            }
            _position = next < 0 ? _stream.Length : next + startCodeLength;
            if (length > 0)
            {
                return true;
            }
        }
        offset = 0;
        length = 0;
        return false;
    }

    public bool TryReadNalUnit(out ReadOnlySpan<byte> nal)
    {
        if (TryReadNalUnit(out int offset, out int length))
        {
            nal = _stream.Slice(offset, length);
            return true;
        }
        nal = default;
        return false;
    }

    /// <summary>Index of the next 00 00 01 at or after <paramref name="from"/>, or -1.</summary>
    public static int FindStartCode(ReadOnlySpan<byte> stream, int from, out int startCodeLength)
    {
        startCodeLength = 3;
        for (var i = from; i + 2 < stream.Length; i++)
        {
            var found = stream[(i + 2)..].IndexOf((byte)1);
            if (found < 0)
            {
                return -1;
            }
            i += found;
            if (stream[i] == 0 && stream[i + 1] == 0)
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>
    /// Groups an H.264 stream into access units (Annex-B, with start codes): a new unit
    /// begins at an AUD, SPS, PPS or SEI after a slice, or at a slice with first_mb_in_slice 0.
    /// </summary>
    public static List<ReadOnlyMemory<byte>> SplitH264AccessUnits(ReadOnlyMemory<byte> stream)
    {
        var units = new List<ReadOnlyMemory<byte>>();
        var span = stream.Span;
        var reader = new AnnexBReader(span);
        var unitStart = -1;
        var hasSlice = false;
        while (reader.TryReadNalUnit(out var offset, out var length))
        {
            var nalStart = offset >= 4 && span[offset - 4] == 0 ? offset - 4 : offset - 3;
            var type = H264NalUnitType.Of(span[offset]);
            var startsUnit = type switch
            {
                H264NalUnitType.AccessUnitDelimiter or H264NalUnitType.Sps or H264NalUnitType.Pps or H264NalUnitType.Sei => hasSlice,
                H264NalUnitType.Slice or H264NalUnitType.Idr => hasSlice && length > 1 && H264NalUnitType.IsFirstSliceOfPicture(span[offset + 1]),
                _ => false,
            };
            if (unitStart < 0)
            {
                unitStart = nalStart;
            }
            else if (startsUnit)
            {
                units.Add(stream[unitStart..nalStart]);
                unitStart = nalStart;
                hasSlice = false;
            }
            if (H264NalUnitType.IsSlice(type))
            {
                hasSlice = true;
            }
        }
        if (unitStart >= 0)
        {
            units.Add(stream[unitStart..]);
        }
        return units;
    }
}
