namespace Streamer.Media.Rtp;

/// <summary>
/// Extends 16-bit sequence numbers to a monotonic 64-bit count: each value is placed at the
/// candidate nearest the last one, so reordering across a wrap maps to the right cycle.
/// </summary>
public sealed class SequenceUnwrapper
{
    private long last = -1;

    /// <summary>The last unwrapped value, or -1 before the first.</summary>
    public long Last => last;

    public long Unwrap(ushort sequenceNumber)
    {
        if (last < 0)
        {
            last = sequenceNumber;
            return last;
        }
        short delta = (short)(sequenceNumber - (ushort)last);
        long value = last + delta;
        // A value before the first packet cannot be represented; keep the count non-negative.
        if (value < 0)
        {
            value += 1 << 16;
        }
        last = value;
        return value;
    }
}
