namespace Streamer.Media.Interceptors;

/// <summary>Counters of a <see cref="NackResponder"/>.</summary>
public sealed class NackResponderStats
{
    private long nacksReceived;
    private long retransmitted;
    private long missing;

    public long NacksReceived => Interlocked.Read(ref nacksReceived);
    public long Retransmitted => Interlocked.Read(ref retransmitted);
    /// <summary>Requested packets no longer (or never) in the history.</summary>
    public long Missing => Interlocked.Read(ref missing);

    internal void AddNack() => Interlocked.Increment(ref nacksReceived);

    internal void AddRetransmitted() => Interlocked.Increment(ref retransmitted);

    internal void AddMissing() => Interlocked.Increment(ref missing);
}
