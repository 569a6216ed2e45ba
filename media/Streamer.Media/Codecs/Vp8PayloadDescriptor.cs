namespace Streamer.Media.Codecs;

/// <summary>
/// VP8 payload descriptor (RFC 7741 section 4.2).
/// <code>
///       0 1 2 3 4 5 6 7
///      +-+-+-+-+-+-+-+-+
///      |X|R|N|S|R| PID | (REQUIRED)
///      +-+-+-+-+-+-+-+-+
/// X:   |I|L|T|K| RSV   | (OPTIONAL)
///      +-+-+-+-+-+-+-+-+
/// I:   |M| PictureID   | (OPTIONAL, M=1: 15-bit PictureID)
///      +-+-+-+-+-+-+-+-+
///      |   PictureID   |
///      +-+-+-+-+-+-+-+-+
/// L:   |   TL0PICIDX   | (OPTIONAL)
///      +-+-+-+-+-+-+-+-+
/// T/K: |TID|Y| KEYIDX  | (OPTIONAL)
///      +-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public readonly record struct Vp8PayloadDescriptor
{
    private const byte XBit = 0x80;
    private const byte NBit = 0x20;
    private const byte SBit = 0x10;
    private const byte PidMask = 0x07;
    private const byte IBit = 0x80;
    private const byte LBit = 0x40;
    private const byte TBit = 0x20;
    private const byte KBit = 0x10;
    private const byte MBit = 0x80;
    private const byte YBit = 0x20;
    private const int MaxPictureId15 = 0x7FFF;

    public bool NonReference { get; init; }
    public bool StartOfPartition { get; init; }
    public byte PartitionId { get; init; }
    /// <summary>PictureID, or -1 when absent.</summary>
    public int PictureId { get; init; }
    public bool PictureIdIs15Bit { get; init; }
    /// <summary>TL0PICIDX, or -1 when absent.</summary>
    public int Tl0PicIdx { get; init; }
    /// <summary>Temporal layer index, or -1 when neither T nor K is present.</summary>
    public int TemporalLayer { get; init; }
    public bool LayerSync { get; init; }
    /// <summary>KEYIDX, or -1 when absent.</summary>
    public int KeyIndex { get; init; }

    public Vp8PayloadDescriptor()
    {
        PictureId = -1;
        Tl0PicIdx = -1;
        TemporalLayer = -1;
        KeyIndex = -1;
    }

    /// <summary>True for the first packet of a frame: S=1 and PID=0.</summary>
    public bool IsFrameStart => StartOfPartition && PartitionId == 0;

    private bool HasExtension => PictureId >= 0 || Tl0PicIdx >= 0 || TemporalLayer >= 0 || KeyIndex >= 0;

    public int MarshalSize
    {
        get
        {
            var size = 1;
            if (HasExtension)
            {
                size++;
                if (PictureId >= 0)
                {
                    size += PictureIdIs15Bit ? 2 : 1;
                }
                if (Tl0PicIdx >= 0)
                {
                    size++;
                }
                if (TemporalLayer >= 0 || KeyIndex >= 0)
                {
                    size++;
                }
            }
            return size;
        }
    }

    public int MarshalTo(Span<byte> destination)
    {
        var size = MarshalSize;
        if (destination.Length < size)
        {
            throw new ArgumentException("Destination too small.", nameof(destination));
        }

        var first = (byte)(PartitionId & PidMask);
        if (NonReference) first |= NBit;
        if (StartOfPartition) first |= SBit;
        if (!HasExtension)
        {
            destination[0] = first;
            return 1;
        }

        destination[0] = (byte)(first | XBit);
        byte ext = 0;
        if (PictureId >= 0) ext |= IBit;
        if (Tl0PicIdx >= 0) ext |= LBit;
        if (TemporalLayer >= 0) ext |= TBit;
        if (KeyIndex >= 0) ext |= KBit;
        destination[1] = ext;
        var offset = 2;
        if (PictureId >= 0)
        {
            if (PictureIdIs15Bit)
            {
                destination[offset++] = (byte)(MBit | ((PictureId >> 8) & 0x7F));
                destination[offset++] = (byte)PictureId;
            }
            else
            {
                destination[offset++] = (byte)(PictureId & 0x7F);
            }
        }
        if (Tl0PicIdx >= 0)
        {
            destination[offset++] = (byte)Tl0PicIdx;
        }
        if (TemporalLayer >= 0 || KeyIndex >= 0)
        {
            var tk = (byte)(KeyIndex >= 0 ? KeyIndex & 0x1F : 0);
            if (TemporalLayer >= 0) tk |= (byte)((TemporalLayer & 0x03) << 6);
            if (LayerSync) tk |= YBit;
            destination[offset++] = tk;
        }
        return offset;
    }

    public static bool TryUnmarshal(ReadOnlySpan<byte> payload, out Vp8PayloadDescriptor descriptor, out ParseError error)
    {
        descriptor = new Vp8PayloadDescriptor();
        if (payload.IsEmpty)
        {
            error = ParseError.TooShort;
            return false;
        }

        var first = payload[0];
        var result = new Vp8PayloadDescriptor
        {
            NonReference = (first & NBit) != 0,
            StartOfPartition = (first & SBit) != 0,
            PartitionId = (byte)(first & PidMask),
        };
        if ((first & XBit) == 0)
        {
            descriptor = result;
            error = ParseError.None;
            return true;
        }

        if (payload.Length < 2)
        {
            error = ParseError.TooShort;
            return false;
        }

        var ext = payload[1];
        var offset = 2;
        if ((ext & IBit) != 0)
        {
            if (payload.Length <= offset)
            {
                error = ParseError.TooShort;
                return false;
            }
            if ((payload[offset] & MBit) != 0)
            {
                if (payload.Length <= offset + 1)
                {
                    error = ParseError.TooShort;
                    return false;
                }
                result = result with { PictureId = ((payload[offset] & 0x7F) << 8) | payload[offset + 1], PictureIdIs15Bit = true };
                offset += 2;
            }
            else
            {
                result = result with { PictureId = payload[offset] & 0x7F };
                offset++;
            }
        }
        if ((ext & LBit) != 0)
        {
            if (payload.Length <= offset)
            {
                error = ParseError.TooShort;
                return false;
            }
            result = result with { Tl0PicIdx = payload[offset++] };
        }
        if ((ext & (TBit | KBit)) != 0)
        {
            if (payload.Length <= offset)
            {
                error = ParseError.TooShort;
                return false;
            }
            var tk = payload[offset++];
            if ((ext & TBit) != 0)
            {
                result = result with { TemporalLayer = tk >> 6, LayerSync = (tk & YBit) != 0 };
            }
            if ((ext & KBit) != 0)
            {
                result = result with { KeyIndex = tk & 0x1F };
            }
        }

        descriptor = result;
        error = ParseError.None;
        return true;
    }

    /// <summary>The next 15-bit PictureID after <paramref name="pictureId"/>.</summary>
    public static int NextPictureId(int pictureId) => (pictureId + 1) & MaxPictureId15;
}
