namespace Streamer.KvStore;

/// <summary>One tier's usage and counts at a moment, as the API reports them.</summary>
public sealed record KvTierSnapshot(
    string Name,
    bool IsAvailable,
    long BytesUsed,
    int BlocksUsed,
    long MaxBytes,
    int MaxBlocks,
    long Hits,
    long Puts,
    long DemotedOut,
    long Promotions,
    long Drops,
    KvTierStats TierStats);
