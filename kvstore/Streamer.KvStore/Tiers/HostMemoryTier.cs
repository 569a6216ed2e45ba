namespace Streamer.KvStore;

/// <summary>
/// Blocks kept as managed objects in process memory, bounded in bytes and blocks. Reads
/// return the stored instance, so a hit costs no copy.
/// </summary>
public sealed class HostMemoryTier : IKvTier
{
    private readonly Lock _gate = new();
    private readonly Dictionary<KvBlockId, KvBlock> _blocks = [];
    private readonly KvTierCounters _counters = new();
    private long _bytesUsed;

    public HostMemoryTier(HostMemoryTierOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Name = options.Name;
        Budget = new KvTierBudget(options.MaxBytes, options.MaxBlocks);
    }

    public string Name { get; }

    public KvTierBudget Budget { get; }

    public long BytesUsed
    {
        get
        {
            lock (_gate)
            {
                return _bytesUsed;
            }
        }
    }

    public int BlocksUsed
    {
        get
        {
            lock (_gate)
            {
                return _blocks.Count;
            }
        }
    }

    public bool IsAvailable => true;

    public KvTierStats Stats => _counters.Snapshot();

    public KvTierStatus TryPut(KvBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        long size = block.EncodedLength;
        if (size > Budget.MaxBytes)
        {
            return KvTierStatus.TooLarge;
        }
        lock (_gate)
        {
            bool replacing = _blocks.TryGetValue(block.Id, out KvBlock? old);
            long bytesWithout = _bytesUsed - (replacing ? old!.EncodedLength : 0);
            int blocksWithout = _blocks.Count - (replacing ? 1 : 0);
            if (!Budget.Fits(bytesWithout, blocksWithout, size))
            {
                return KvTierStatus.NoRoom;
            }
            _blocks[block.Id] = block;
            _bytesUsed = bytesWithout + size;
        }
        _counters.Put();
        return KvTierStatus.Ok;
    }

    public KvTierStatus TryGet(KvBlockId id, out KvBlock? block)
    {
        bool found;
        lock (_gate)
        {
            found = _blocks.TryGetValue(id, out block);
        }
        if (found)
        {
            _counters.Hit();
            return KvTierStatus.Ok;
        }
        _counters.Miss();
        return KvTierStatus.NotFound;
    }

    public bool Remove(KvBlockId id)
    {
        lock (_gate)
        {
            if (!_blocks.Remove(id, out KvBlock? block))
            {
                return false;
            }
            _bytesUsed -= block.EncodedLength;
        }
        _counters.Removed();
        return true;
    }

    public bool Contains(KvBlockId id)
    {
        lock (_gate)
        {
            return _blocks.ContainsKey(id);
        }
    }

    public IReadOnlyList<KvBlockMetadata> ListBlocks()
    {
        lock (_gate)
        {
            return _blocks.Values.Select(b => b.Metadata).OrderBy(m => m.Id).ToList();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _blocks.Clear();
            _bytesUsed = 0;
        }
    }
}
