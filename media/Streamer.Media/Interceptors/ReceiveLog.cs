namespace Streamer.Media.Interceptors;

/// <summary>
/// A bitmap of which of the last N sequence numbers arrived (as pion's NACK receive log):
/// it tracks the newest sequence number and the last one up to which nothing is missing,
/// so the missing ones are exactly the clear bits between the two.
/// </summary>
internal sealed class ReceiveLog
{
    private const int HalfRange = 0x8000;
    private readonly ulong[] bits;
    private readonly int size;
    private bool started;
    private ushort end;
    private ushort lastConsecutive;

    /// <param name="size">Window in packets: a power of two between 64 and 32768.</param>
    public ReceiveLog(int size)
    {
        if (size is < 64 or > HalfRange || (size & (size - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "A power of two from 64 to 32768.");
        }
        this.size = size;
        bits = new ulong[size / 64];
    }

    public void Add(ushort seq)
    {
        if (!started)
        {
            Set(seq);
            end = seq;
            lastConsecutive = seq;
            started = true;
            return;
        }
        int diff = (ushort)(seq - end);
        if (diff == 0)
        {
            return;
        }
        if (diff < HalfRange)
        {
            // Newer than anything seen: clear the slots it skips, they held packets a window ago.
            if (diff >= size)
            {
                Array.Clear(bits);
            }
            else
            {
                for (ushort i = (ushort)(end + 1); i != seq; i++)
                {
                    Clear(i);
                }
            }
            end = seq;
            if ((ushort)(lastConsecutive + 1) == seq)
            {
                lastConsecutive = seq;
            }
            else if ((ushort)(seq - lastConsecutive) > size)
            {
                lastConsecutive = (ushort)(seq - size);
                FixLastConsecutive();
            }
        }
        else
        {
            // Older than the newest: only a packet inside the window has a slot.
            if ((ushort)(end - seq) >= size)
            {
                return;
            }
            if ((ushort)(lastConsecutive + 1) == seq)
            {
                lastConsecutive = seq;
                Set(seq);
                FixLastConsecutive();
                return;
            }
        }
        Set(seq);
    }

    public bool Contains(ushort seq)
    {
        int diff = (ushort)(end - seq);
        return started && diff < HalfRange && diff < size && Get(seq);
    }

    /// <summary>Missing sequence numbers, oldest first, ignoring the newest <paramref name="skipLastN"/>.</summary>
    public void AddMissing(List<ushort> destination, int skipLastN)
    {
        if (!started)
        {
            return;
        }
        ushort until = (ushort)(end - skipLastN);
        if ((ushort)(until - lastConsecutive) >= HalfRange)
        {
            return;
        }
        for (ushort i = (ushort)(lastConsecutive + 1); i != (ushort)(until + 1); i++)
        {
            if (!Get(i))
            {
                destination.Add(i);
            }
        }
    }

    private void FixLastConsecutive()
    {
        ushort i = (ushort)(lastConsecutive + 1);
        while (i != (ushort)(end + 1) && Get(i))
        {
            i++;
        }
        lastConsecutive = (ushort)(i - 1);
    }

    private int Index(ushort seq) => seq & (size - 1);

    private void Set(ushort seq) => bits[Index(seq) >> 6] |= 1UL << (Index(seq) & 63);

    private void Clear(ushort seq) => bits[Index(seq) >> 6] &= ~(1UL << (Index(seq) & 63));

    private bool Get(ushort seq) => (bits[Index(seq) >> 6] & (1UL << (Index(seq) & 63))) != 0;
}
