using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Metrics;

namespace Streamer.KvStore;

/// <summary>
/// KV blocks across an ordered list of tiers, hottest first (the model project puts its GPU
/// tier in front of host memory, disk and Redis). New blocks go to the top tier. When a tier
/// is full, its least recently used blocks that are not leased move to the next colder
/// tier, which makes room the same way; the coldest tier lets its least recently used
/// blocks go. A block is dropped, with a counted reason, only when no tier can take it.
/// Reads find the block wherever it is and, by default, promote it to the top.
/// The store keeps the least-recently-used order of every tier and the retrieval index of
/// every session. All members are thread-safe; one lock orders all moves, so a block is
/// never in flight between tiers while another caller looks for it.
/// A tier that throws is treated as unavailable for that call, so no tier failure escapes.
/// </summary>
public sealed class TieredKvStore : IDisposable
{
    private readonly Lock _gate = new();
    private readonly IKvTier[] _tiers;
    private readonly LinkedList<KvBlockId>[] _lru;
    private readonly Dictionary<KvBlockId, Entry> _directory = [];
    private readonly Dictionary<KvBlockId, int> _leases = [];
    private readonly Dictionary<string, KvBlockIndex> _indexes = [];
    private readonly KvStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly KvStoreMetrics _metrics;
    private bool _disposed;

    /// <summary>
    /// Builds the store over <paramref name="tiers"/> (hot to cold) and takes ownership of
    /// them. Blocks the tiers already hold (a reopened disk folder) are indexed again.
    /// </summary>
    public TieredKvStore(
        IReadOnlyList<IKvTier> tiers,
        KvStoreOptions? options = null,
        TimeProvider? timeProvider = null,
        IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(tiers);
        if (tiers.Count == 0)
        {
            throw new ArgumentException("A store needs at least one tier.", nameof(tiers));
        }
        if (tiers.Select(t => t.Name).Distinct(StringComparer.Ordinal).Count() != tiers.Count)
        {
            throw new ArgumentException("Tier names must be distinct.", nameof(tiers));
        }
        _options = options ?? new KvStoreOptions();
        _options.Validate();
        _tiers = [.. tiers];
        _time = timeProvider ?? TimeProvider.System;
        _lru = _tiers.Select(_ => new LinkedList<KvBlockId>()).ToArray();
        _metrics = new KvStoreMetrics(_options.Name, _tiers, meterFactory);
        Recover();
    }

    public IReadOnlyList<IKvTier> Tiers => _tiers;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _directory.Count;
            }
        }
    }

    /// <summary>Stores the block in the top tier (replacing one with the same id), demoting as needed.</summary>
    public KvPutResult Put(KvBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        long start = _time.GetTimestamp();
        KvPutResult result;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            KvBlockIndex index = IndexFor(block.Metadata);
            if (index.LayerCount != block.Metadata.LayerCount || index.Dimension != block.Metadata.RetrievalDimension)
            {
                throw new ArgumentException(
                    $"Block {block.Id} has {block.Metadata.LayerCount}x{block.Metadata.RetrievalDimension} retrieval keys; " +
                    $"session {block.Id.SessionId} has {index.LayerCount}x{index.Dimension}.", nameof(block));
            }
            if (_directory.ContainsKey(block.Id))
            {
                RemoveLocked(block.Id);
            }
            int tier = PlaceLocked(block, 0, out KvDropReason reason);
            if (tier >= 0)
            {
                index.Add(block.Metadata);
                result = new KvPutResult(_tiers[tier].Name, null);
            }
            else
            {
                index.Remove(block.Id.Sequence);
                _metrics.Dropped(reason, -1);
                result = new KvPutResult(null, reason);
            }
        }
        _metrics.PutTook(_time.GetElapsedTime(start));
        return result;
    }

    /// <summary>Reads a block from whatever tier holds it, promoting it if so configured.</summary>
    public KvGetResult Get(KvBlockId id)
    {
        long start = _time.GetTimestamp();
        KvGetResult result;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            result = GetLocked(id);
        }
        if (result.Status == KvGetStatus.Miss)
        {
            _metrics.Miss();
        }
        _metrics.GetTook(_time.GetElapsedTime(start), result.Status);
        return result;
    }

    public bool TryGet(KvBlockId id, [NotNullWhen(true)] out KvBlock? block)
    {
        KvGetResult result = Get(id);
        block = result.Block;
        return result.Found;
    }

    public bool Remove(KvBlockId id)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_directory.ContainsKey(id))
            {
                return false;
            }
            RemoveLocked(id);
            ForgetInIndex(id);
            return true;
        }
    }

    /// <summary>Removes every block of a session and its index; returns the blocks removed.</summary>
    public int RemoveSession(string sessionId)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            List<KvBlockId> ids = _directory.Keys.Where(id => id.SessionId == sessionId).ToList();
            foreach (KvBlockId id in ids)
            {
                RemoveLocked(id);
            }
            _indexes.Remove(sessionId);
            return ids.Count;
        }
    }

    public bool Contains(KvBlockId id)
    {
        lock (_gate)
        {
            return _directory.ContainsKey(id);
        }
    }

    /// <summary>Name of the tier holding the block, or null.</summary>
    public string? Locate(KvBlockId id)
    {
        lock (_gate)
        {
            return _directory.TryGetValue(id, out Entry? entry) ? _tiers[entry.Tier].Name : null;
        }
    }

    /// <summary>
    /// Keeps the blocks where they are (no eviction, no demotion) until the returned lease is
    /// disposed: take one around a retrieval so the blocks it chose stay reachable. Leases
    /// nest; explicit <see cref="Remove"/> still removes.
    /// </summary>
    public IDisposable Lease(IEnumerable<KvBlockId> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        KvBlockId[] leased = ids.ToArray();
        lock (_gate)
        {
            foreach (KvBlockId id in leased)
            {
                _leases[id] = _leases.GetValueOrDefault(id) + 1;
            }
        }
        return new KvStoreLease(this, leased);
    }

    /// <summary>The retrieval index of a session, or null before its first block.</summary>
    public KvBlockIndex? GetIndex(string sessionId)
    {
        lock (_gate)
        {
            return _indexes.GetValueOrDefault(sessionId);
        }
    }

    public KvStoreSnapshot Snapshot()
    {
        int leased;
        lock (_gate)
        {
            leased = _leases.Count;
        }
        return _metrics.Snapshot(_tiers, leased);
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
        }
        foreach (IKvTier tier in _tiers)
        {
            tier.Dispose();
        }
        _metrics.Dispose();
    }

    internal void Release(KvBlockId[] ids)
    {
        lock (_gate)
        {
            foreach (KvBlockId id in ids)
            {
                int count = _leases.GetValueOrDefault(id) - 1;
                if (count > 0)
                {
                    _leases[id] = count;
                }
                else
                {
                    _leases.Remove(id);
                }
            }
        }
    }

    private KvGetResult GetLocked(KvBlockId id)
    {
        if (!_directory.TryGetValue(id, out Entry? entry))
        {
            return new KvGetResult(KvGetStatus.Miss, null, null, null);
        }
        int tier = entry.Tier;
        string tierName = _tiers[tier].Name;
        KvTierStatus status = TryGetFrom(tier, id, out KvBlock? block);
        switch (status)
        {
            case KvTierStatus.Ok:
                _metrics.Hit(tier);
                if (tier > 0 && _options.PromoteOnGet)
                {
                    Promote(block!, entry);
                }
                else
                {
                    Touch(entry);
                }
                return new KvGetResult(KvGetStatus.Hit, block, tierName, null);
            case KvTierStatus.Corrupt:
                Unlink(id, entry);
                ForgetInIndex(id);
                _metrics.Dropped(KvDropReason.Corrupt, tier);
                return new KvGetResult(KvGetStatus.Corrupt, null, tierName, new KvBlockCorruptException(id, tierName));
            case KvTierStatus.Unavailable:
                return new KvGetResult(KvGetStatus.Unavailable, null, tierName, null);
            default:
                Unlink(id, entry);
                ForgetInIndex(id);
                _metrics.Dropped(KvDropReason.Lost, tier);
                return new KvGetResult(KvGetStatus.Miss, null, tierName, null);
        }
    }

    private void Promote(KvBlock block, Entry entry)
    {
        int from = entry.Tier;
        KvBlockId id = block.Id;
        if (block.EncodedLength > _tiers[0].Budget.MaxBytes || !Available(0))
        {
            Touch(entry);
            return;
        }
        // Take the block out of its tier first: the room it leaves is where the top tier's
        // least recently used block goes, so a promotion is a swap and drops nothing.
        Unlink(id, entry);
        RemoveFrom(from, id);
        if (TryMakeRoomAndPut(0, block, out _))
        {
            Link(id, 0);
            _metrics.Promoted(from);
            return;
        }
        if (PlaceLocked(block, from, out KvDropReason reason) < 0)
        {
            ForgetInIndex(id);
            _metrics.Dropped(reason, from);
        }
    }

    // Stores the block in `first` or the first colder tier that takes it; returns the tier, or -1.
    private int PlaceLocked(KvBlock block, int first, out KvDropReason reason)
    {
        reason = KvDropReason.TooLarge;
        for (int tier = first; tier < _tiers.Length; tier++)
        {
            if (TryMakeRoomAndPut(tier, block, out KvDropReason why))
            {
                Link(block.Id, tier);
                _metrics.Stored(tier);
                return tier;
            }
            if (why != KvDropReason.TooLarge)
            {
                reason = why;
            }
        }
        return -1;
    }

    private bool TryMakeRoomAndPut(int tier, KvBlock block, out KvDropReason reason)
    {
        IKvTier target = _tiers[tier];
        long size = block.EncodedLength;
        if (size > target.Budget.MaxBytes)
        {
            reason = KvDropReason.TooLarge;
            return false;
        }
        reason = KvDropReason.NoTierAvailable;
        if (!Available(tier))
        {
            return false;
        }
        // Every pass takes one entry off this tier's list, so the loop ends.
        while (!target.Budget.Fits(target.BytesUsed, target.BlocksUsed, size))
        {
            KvBlockId? victim = LeastRecentlyUsedUnleased(tier);
            if (victim is null)
            {
                return false;
            }
            Evict(victim.Value, tier);
        }
        try
        {
            return target.TryPut(block) == KvTierStatus.Ok;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return false;
        }
    }

    // Moves a block out of `tier` to the next colder tier that takes it, or drops it.
    private void Evict(KvBlockId id, int tier)
    {
        Entry entry = _directory[id];
        bool coldest = tier == _tiers.Length - 1;
        KvBlock? block = null;
        KvTierStatus status = coldest
            ? KvTierStatus.Ok
            : TryGetFrom(tier, id, out block);
        Unlink(id, entry);
        RemoveFrom(tier, id);
        if (coldest || status != KvTierStatus.Ok)
        {
            ForgetInIndex(id);
            _metrics.Dropped(
                coldest ? KvDropReason.EvictedFromColdest : status == KvTierStatus.Corrupt ? KvDropReason.Corrupt : KvDropReason.Lost,
                tier);
            return;
        }
        int placed = PlaceLocked(block!, tier + 1, out KvDropReason reason);
        if (placed >= 0)
        {
            _metrics.Demoted(tier, placed);
        }
        else
        {
            ForgetInIndex(id);
            _metrics.Dropped(reason, tier);
        }
    }

    private KvBlockId? LeastRecentlyUsedUnleased(int tier)
    {
        for (LinkedListNode<KvBlockId>? node = _lru[tier].Last; node is not null; node = node.Previous)
        {
            if (!_leases.ContainsKey(node.Value))
            {
                return node.Value;
            }
        }
        return null;
    }

    private void RemoveLocked(KvBlockId id)
    {
        Entry entry = _directory[id];
        Unlink(id, entry);
        RemoveFrom(entry.Tier, id);
    }

    private void Link(KvBlockId id, int tier)
    {
        _directory[id] = new Entry(tier, _lru[tier].AddFirst(id));
    }

    private void Unlink(KvBlockId id, Entry entry)
    {
        _lru[entry.Tier].Remove(entry.Node);
        _directory.Remove(id);
    }

    private void Touch(Entry entry)
    {
        LinkedList<KvBlockId> list = _lru[entry.Tier];
        if (list.First != entry.Node)
        {
            list.Remove(entry.Node);
            list.AddFirst(entry.Node);
        }
    }

    private KvBlockIndex IndexFor(KvBlockMetadata metadata)
    {
        string session = metadata.Id.SessionId;
        if (!_indexes.TryGetValue(session, out KvBlockIndex? index))
        {
            index = new KvBlockIndex(session, metadata.LayerCount, metadata.RetrievalDimension);
            _indexes.Add(session, index);
        }
        return index;
    }

    private void ForgetInIndex(KvBlockId id)
    {
        if (_indexes.TryGetValue(id.SessionId, out KvBlockIndex? index))
        {
            index.Remove(id.Sequence);
        }
    }

    private bool Available(int tier)
    {
        try
        {
            return _tiers[tier].IsAvailable;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return false;
        }
    }

    // A tier that throws counts as unavailable for this call.
    private KvTierStatus TryGetFrom(int tier, KvBlockId id, out KvBlock? block)
    {
        try
        {
            return _tiers[tier].TryGet(id, out block);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            block = null;
            return KvTierStatus.Unavailable;
        }
    }

    private void RemoveFrom(int tier, KvBlockId id)
    {
        try
        {
            _tiers[tier].Remove(id);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The store has already forgotten the block; a leftover copy in a broken tier is
            // unreachable and, for Redis, expires with its TTL.
        }
    }

    // Indexes the blocks that persistent tiers kept from an earlier run; a block found in
    // two tiers keeps its hotter copy.
    private void Recover()
    {
        for (int tier = 0; tier < _tiers.Length; tier++)
        {
            IReadOnlyList<KvBlockMetadata> blocks;
            try
            {
                blocks = _tiers[tier].ListBlocks();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                continue;
            }
            foreach (KvBlockMetadata metadata in blocks)
            {
                if (_directory.ContainsKey(metadata.Id))
                {
                    continue;
                }
                Link(metadata.Id, tier);
                IndexFor(metadata).Add(metadata);
            }
        }
    }

    private sealed record Entry(int Tier, LinkedListNode<KvBlockId> Node);
}
