namespace Streamer.KvStore;

/// <summary>A tier's operation counts since it was created.</summary>
public readonly record struct KvTierStats(
    long Puts,
    long Hits,
    long Misses,
    long Removes,
    long Corrupt,
    long Unavailable,
    long Dropped);
