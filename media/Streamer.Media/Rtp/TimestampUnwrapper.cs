namespace Streamer.Media.Rtp;

/// <summary>
/// Extends 32-bit RTP timestamps to 64 bits, choosing the cycle nearest the last value so
/// a timestamp slightly behind (B-frames, reordering) does not jump a whole wrap.
/// </summary>
public sealed class TimestampUnwrapper
{
    private long last = long.MinValue;

    public long Unwrap(uint timestamp)
    {
        if (last == long.MinValue)
        {
            last = timestamp;
            return last;
        }
        int delta = (int)(timestamp - (uint)last);
        last += delta;
        return last;
    }
}
