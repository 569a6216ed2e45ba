namespace Streamer.KvStore;

/// <summary>Thread-safe counters behind <see cref="KvTierStats"/>, for tier implementations.</summary>
public sealed class KvTierCounters
{
    private long _puts;
    private long _hits;
    private long _misses;
    private long _removes;
    private long _corrupt;
    private long _unavailable;
    private long _dropped;

    public void Put() => Interlocked.Increment(ref _puts);

    public void Hit() => Interlocked.Increment(ref _hits);

    public void Miss() => Interlocked.Increment(ref _misses);

    public void Removed() => Interlocked.Increment(ref _removes);

    public void Corrupted() => Interlocked.Increment(ref _corrupt);

    public void WasUnavailable() => Interlocked.Increment(ref _unavailable);

    public void Dropped(long count = 1) => Interlocked.Add(ref _dropped, count);

    public KvTierStats Snapshot() => new(
        Interlocked.Read(ref _puts),
        Interlocked.Read(ref _hits),
        Interlocked.Read(ref _misses),
        Interlocked.Read(ref _removes),
        Interlocked.Read(ref _corrupt),
        Interlocked.Read(ref _unavailable),
        Interlocked.Read(ref _dropped));
}
