namespace Streamer.Media.Rtcp;

/// <summary>
/// One 16-bit packet status chunk of transport-wide feedback (draft-holmer section 3.1.3-3.1.4).
/// <code>
/// run length chunk:                 status vector chunk:
///  0                   1             0                   1
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |T| S |       Run Length        | |T|S|       symbol list         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// T=0, S=symbol, length 13 bits     T=1, S=0: 14 one-bit symbols, S=1: 7 two-bit symbols
/// </code>
/// Kept as the raw word so a parsed packet marshals back to the same bytes.
/// </summary>
public readonly record struct TwccPacketChunk(ushort Value)
{
    public const int Size = 2;
    public const int MaxRunLength = 0x1FFF;
    public const int OneBitCapacity = 14;
    public const int TwoBitCapacity = 7;

    public bool IsRunLength => (Value & 0x8000) == 0;
    public bool IsTwoBitVector => !IsRunLength && (Value & 0x4000) != 0;
    public TwccPacketStatus RunSymbol => (TwccPacketStatus)((Value >> 13) & 0x3);
    public int RunLength => Value & MaxRunLength;

    /// <summary>How many statuses the chunk describes.</summary>
    public int SymbolCount => IsRunLength ? RunLength : IsTwoBitVector ? TwoBitCapacity : OneBitCapacity;

    public TwccPacketStatus GetSymbol(int index)
    {
        if (IsRunLength)
        {
            return RunSymbol;
        }
        if (IsTwoBitVector)
        {
            return (TwccPacketStatus)((Value >> (12 - (index * 2))) & 0x3);
        }
        return (TwccPacketStatus)((Value >> (13 - index)) & 0x1);
    }

    public static TwccPacketChunk RunLengthChunk(TwccPacketStatus symbol, int length)
    {
        if (length is < 0 or > MaxRunLength)
        {
            throw new ArgumentOutOfRangeException(nameof(length));
        }
        return new TwccPacketChunk((ushort)(((int)symbol << 13) | length));
    }

    /// <summary>A status vector; unused trailing slots are NotReceived (zero).</summary>
    public static TwccPacketChunk StatusVector(ReadOnlySpan<TwccPacketStatus> symbols, bool twoBit)
    {
        int capacity = twoBit ? TwoBitCapacity : OneBitCapacity;
        if (symbols.Length > capacity)
        {
            throw new ArgumentOutOfRangeException(nameof(symbols));
        }
        int value = 0x8000 | (twoBit ? 0x4000 : 0);
        for (int i = 0; i < symbols.Length; i++)
        {
            int symbol = (int)symbols[i];
            if (twoBit)
            {
                value |= symbol << (12 - (i * 2));
            }
            else
            {
                if (symbol > 1)
                {
                    throw new ArgumentException("One-bit vectors hold only NotReceived and ReceivedSmallDelta.", nameof(symbols));
                }
                value |= symbol << (13 - i);
            }
        }
        return new TwccPacketChunk((ushort)value);
    }
}
