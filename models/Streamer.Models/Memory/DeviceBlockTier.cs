using System.Diagnostics.Metrics;
using Streamer.KvStore;
using static TorchSharp.torch;

namespace Streamer.Models.Memory;

/// <summary>
/// The device tier: blocks retrieved for questions, kept as tensors on the model's device in a
/// least-recently-used list of at most <see cref="MaxBlocks"/> blocks, so a repeated or
/// overlapping retrieval neither reads the store nor uploads the bytes again.
/// It lives here and not among the store's <see cref="IKvTier"/>s because the store is torch-free
/// and moves bytes, while this tier holds tensors; it is an inclusive cache in front of the
/// store, so every block it holds is also in a store tier and letting one go costs a reload,
/// never data. A block rented by a retrieval is never evicted: when every cached block is
/// rented, a miss is loaded for that retrieval alone and disposed after it.
/// Thread-safe; loading runs outside the tier's lock.
/// </summary>
public sealed class DeviceBlockTier : IDisposable
{
    public const string TierName = "device";

    private readonly Lock _gate = new();
    // Most recently used first.
    private readonly LinkedList<Entry> _lru = new();
    private readonly Dictionary<KvBlockId, LinkedListNode<Entry>> _entries = [];
    private readonly TimeProvider _time;
    private readonly DeviceTierMetrics _metrics;
    private long _bytes;
    private long _hits;
    private long _misses;
    private long _puts;
    private long _evictions;
    private long _removes;
    private long _loads;
    private long _loadTicks;
    private bool _disposed;

    /// <param name="maxBlocks">Blocks kept on the device; 0 keeps none (every retrieval uploads).</param>
    /// <param name="sessionId">Tags the metrics.</param>
    public DeviceBlockTier(int maxBlocks, string sessionId, TimeProvider? timeProvider = null, IMeterFactory? meterFactory = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxBlocks);
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        MaxBlocks = maxBlocks;
        _time = timeProvider ?? TimeProvider.System;
        _metrics = new DeviceTierMetrics(this, sessionId, meterFactory);
    }

    public int MaxBlocks { get; }

    public int BlocksUsed
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Bytes of the tensors held (keys and values of every layer).</summary>
    public long BytesUsed => Interlocked.Read(ref _bytes);

    /// <summary>Rentals served from the device.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Rentals that had to load the block from the store.</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>Blocks let go to make room (they stay in the store).</summary>
    public long Evictions => Interlocked.Read(ref _evictions);

    /// <summary>Mean time of a load on a miss: store read, decode and upload.</summary>
    public TimeSpan MeanLoadLatency
    {
        get
        {
            var loads = Interlocked.Read(ref _loads);
            return loads == 0 ? TimeSpan.Zero : TimeSpan.FromTicks(Interlocked.Read(ref _loadTicks) / loads);
        }
    }

    /// <summary>The blocks held, most recently used first.</summary>
    public IReadOnlyList<KvBlockId> Blocks
    {
        get
        {
            lock (_gate)
            {
                return _lru.Select(e => e.Id).ToList();
            }
        }
    }

    public bool Contains(KvBlockId id)
    {
        lock (_gate)
        {
            return _entries.ContainsKey(id);
        }
    }

    /// <summary>True while a retrieval holds the block.</summary>
    public bool IsRented(KvBlockId id)
    {
        lock (_gate)
        {
            return _entries.TryGetValue(id, out var node) && node.Value.Renters > 0;
        }
    }

    /// <summary>
    /// The tier as the store reports its own tiers, for snapshots and session events. Its budget
    /// is in blocks, so MaxBytes is 0; evictions count as blocks demoted out.
    /// </summary>
    public KvTierSnapshot Snapshot()
    {
        int blocks;
        lock (_gate)
        {
            blocks = _entries.Count;
        }
        var stats = new KvTierStats(Interlocked.Read(ref _puts), Hits, Misses, Interlocked.Read(ref _removes), 0, 0, Evictions);
        return new KvTierSnapshot(TierName, true, BytesUsed, blocks, 0, MaxBlocks, Hits, stats.Puts, Evictions, 0, 0, stats);
    }

    /// <summary>
    /// The block's tensors for one retrieval: from the device when held (a hit), else from
    /// <paramref name="load"/> (a miss), kept when there is room or an unrented block to evict.
    /// Null when <paramref name="load"/> cannot deliver the block. Dispose the rental when the
    /// tensors are no longer read.
    /// </summary>
    internal DeviceBlockRental? Rent(KvBlockId id, Func<KvBlockTensors?> load)
    {
        ArgumentNullException.ThrowIfNull(load);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_entries.TryGetValue(id, out var held))
            {
                Interlocked.Increment(ref _hits);
                _metrics.Hit();
                MoveToFront(held);
                held.Value.Renters++;
                return new DeviceBlockRental(this, held.Value, held.Value.Tensors);
            }
        }
        Interlocked.Increment(ref _misses);
        _metrics.Miss();
        var started = _time.GetTimestamp();
        var tensors = load();
        if (tensors is null)
        {
            return null;
        }
        var elapsed = _time.GetElapsedTime(started);
        Interlocked.Increment(ref _loads);
        Interlocked.Add(ref _loadTicks, elapsed.Ticks);
        _metrics.Loaded(elapsed);
        // The tier decides when these die, not the caller's dispose scope.
        foreach (var t in tensors.Keys.Concat(tensors.Values))
        {
            t.DetachFromDisposeScope();
        }
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_entries.TryGetValue(id, out var raced))
            {
                // Another retrieval loaded it meanwhile: share that copy.
                tensors.Dispose();
                raced.Value.Renters++;
                return new DeviceBlockRental(this, raced.Value, raced.Value.Tensors);
            }
            while (_entries.Count >= MaxBlocks && OldestUnrented() is { } victim)
            {
                Unlink(victim);
                victim.Value.Tensors.Dispose();
                Interlocked.Increment(ref _evictions);
                _metrics.Evicted();
            }
            if (_entries.Count >= MaxBlocks)
            {
                return new DeviceBlockRental(this, null, tensors);
            }
            var entry = new Entry(id, tensors, tensors.Bytes) { Renters = 1 };
            _entries.Add(id, _lru.AddFirst(entry));
            Interlocked.Add(ref _bytes, entry.Bytes);
            Interlocked.Increment(ref _puts);
            return new DeviceBlockRental(this, entry, tensors);
        }
    }

    /// <summary>Drops the block (it was replaced or removed in the store); a rented one goes when returned.</summary>
    public bool Remove(KvBlockId id)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue(id, out var node))
            {
                return false;
            }
            Unlink(node);
            Interlocked.Increment(ref _removes);
            if (node.Value.Renters == 0)
            {
                node.Value.Tensors.Dispose();
            }
            return true;
        }
    }

    internal void Return(Entry entry)
    {
        lock (_gate)
        {
            entry.Renters--;
            if (entry.Renters == 0 && entry.Unlinked)
            {
                entry.Tensors.Dispose();
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            foreach (var entry in _lru)
            {
                entry.Tensors.Dispose();
            }
            _lru.Clear();
            _entries.Clear();
            Interlocked.Exchange(ref _bytes, 0);
        }
        _metrics.Dispose();
    }

    private LinkedListNode<Entry>? OldestUnrented()
    {
        for (var node = _lru.Last; node is not null; node = node.Previous)
        {
            if (node.Value.Renters == 0)
            {
                return node;
            }
        }
        return null;
    }

    private void MoveToFront(LinkedListNode<Entry> node)
    {
        if (_lru.First != node)
        {
            _lru.Remove(node);
            _lru.AddFirst(node);
        }
    }

    private void Unlink(LinkedListNode<Entry> node)
    {
        _lru.Remove(node);
        _entries.Remove(node.Value.Id);
        node.Value.Unlinked = true;
        Interlocked.Add(ref _bytes, -node.Value.Bytes);
    }

    internal sealed class Entry(KvBlockId id, KvBlockTensors tensors, long bytes)
    {
        public KvBlockId Id { get; } = id;

        public KvBlockTensors Tensors { get; } = tensors;

        public long Bytes { get; } = bytes;

        public int Renters { get; set; }

        public bool Unlinked { get; set; }
    }
}
