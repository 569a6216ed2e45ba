namespace Streamer.KvStore;

/// <summary>
/// One level of the store (GPU, host memory, disk, Redis). A tier stores, accounts and
/// refuses; it never evicts on its own account to make room, because only the store
/// knows which blocks are leased and where an evicted block should go. The store keeps
/// the least-recently-used order of every tier, so a new tier (the GPU tier of the model
/// project) only has to implement storage.
/// Implementations are thread-safe and report failures through <see cref="KvTierStatus"/>.
/// </summary>
public interface IKvTier : IDisposable
{
    /// <summary>Short name used in metrics, results and errors ("host", "disk", "redis").</summary>
    string Name { get; }

    KvTierBudget Budget { get; }

    /// <summary>Sum of <see cref="KvBlock.EncodedLength"/> over the blocks held.</summary>
    long BytesUsed { get; }

    int BlocksUsed { get; }

    /// <summary>False while the tier cannot serve requests (Redis unreachable).</summary>
    bool IsAvailable { get; }

    KvTierStats Stats { get; }

    /// <summary>Stores the block, replacing one with the same id.</summary>
    KvTierStatus TryPut(KvBlock block);

    KvTierStatus TryGet(KvBlockId id, out KvBlock? block);

    bool Remove(KvBlockId id);

    bool Contains(KvBlockId id);

    /// <summary>
    /// Metadata of every block held, oldest first; a persistent tier includes the blocks it
    /// found when it opened, which is how the store rebuilds its index after a restart.
    /// </summary>
    IReadOnlyList<KvBlockMetadata> ListBlocks();
}
