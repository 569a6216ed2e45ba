namespace Streamer.KvStore;

/// <summary>
/// Names one KV block: the session (stream) it belongs to and its sequence number in that
/// session. Sequence numbers grow with media time, so they also order a session's blocks.
/// </summary>
public readonly record struct KvBlockId : IComparable<KvBlockId>
{
    /// <summary>Longest session id in UTF-8 bytes; the codec stores its length in 16 bits.</summary>
    public const int MaxSessionIdBytes = 1024;

    public KvBlockId(string sessionId, long sequence)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        if (System.Text.Encoding.UTF8.GetByteCount(sessionId) > MaxSessionIdBytes)
        {
            throw new ArgumentException($"Session id is longer than {MaxSessionIdBytes} UTF-8 bytes.", nameof(sessionId));
        }
        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        SessionId = sessionId;
        Sequence = sequence;
    }

    public string SessionId { get; }

    public long Sequence { get; }

    public int CompareTo(KvBlockId other)
    {
        int bySession = string.CompareOrdinal(SessionId, other.SessionId);
        return bySession != 0 ? bySession : Sequence.CompareTo(other.Sequence);
    }

    public static bool operator <(KvBlockId left, KvBlockId right) => left.CompareTo(right) < 0;

    public static bool operator <=(KvBlockId left, KvBlockId right) => left.CompareTo(right) <= 0;

    public static bool operator >(KvBlockId left, KvBlockId right) => left.CompareTo(right) > 0;

    public static bool operator >=(KvBlockId left, KvBlockId right) => left.CompareTo(right) >= 0;

    public override string ToString() => $"{SessionId}#{Sequence}";
}
