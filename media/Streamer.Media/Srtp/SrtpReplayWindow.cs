namespace Streamer.Media.Srtp;

/// <summary>
/// Sliding replay window over packet indices (RFC 3711 section 3.3.2). Bit d of the bitmap
/// records whether index <c>highest - d</c> was accepted. Checking and accepting are separate
/// steps so that a packet which fails authentication leaves the window untouched.
/// </summary>
internal sealed class SrtpReplayWindow
{
    private const int WordBits = 64;

    private readonly ulong[] _bits;
    private readonly int _size;
    private long _highest = -1;

    public SrtpReplayWindow(int size)
    {
        _size = size;
        _bits = new ulong[(size + WordBits - 1) / WordBits];
    }

    /// <summary>True when <paramref name="index"/> was accepted already or lies behind the window.</summary>
    public bool IsReplayed(long index)
    {
        if (_highest < 0 || index > _highest)
        {
            return false;
        }

        var delta = _highest - index;
        if (delta >= _size)
        {
            return true;
        }

        return (_bits[delta / WordBits] & (1UL << (int)(delta % WordBits))) != 0;
    }

    public void Accept(long index)
    {
        if (_highest < 0)
        {
            _highest = index;
            _bits[0] = 1;
            return;
        }

        if (index > _highest)
        {
            ShiftUp(index - _highest);
            _highest = index;
            _bits[0] |= 1;
            return;
        }

        var delta = _highest - index;
        if (delta < _size)
        {
            _bits[delta / WordBits] |= 1UL << (int)(delta % WordBits);
        }
    }

    // Moves every recorded index n places further from the new highest index.
    private void ShiftUp(long n)
    {
        if (n >= _bits.Length * WordBits)
        {
            Array.Clear(_bits);
            return;
        }

        var words = (int)(n / WordBits);
        var shift = (int)(n % WordBits);
        for (var i = _bits.Length - 1; i >= 0; i--)
        {
            var source = i - words;
            var value = source >= 0 ? _bits[source] << shift : 0;
            if (shift != 0 && source - 1 >= 0)
            {
                value |= _bits[source - 1] >> (WordBits - shift);
            }

            _bits[i] = value;
        }
    }
}
