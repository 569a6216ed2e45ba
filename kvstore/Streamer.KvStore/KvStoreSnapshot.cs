namespace Streamer.KvStore;

/// <summary>The store's numbers at a moment: the same ones its metrics publish.</summary>
public sealed record KvStoreSnapshot(
    IReadOnlyList<KvTierSnapshot> Tiers,
    long Puts,
    long Gets,
    long Misses,
    IReadOnlyDictionary<KvDropReason, long> Drops,
    int LeasedBlocks,
    double MeanPutMilliseconds,
    double MeanGetMilliseconds);
