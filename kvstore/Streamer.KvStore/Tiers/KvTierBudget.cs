namespace Streamer.KvStore;

/// <summary>How much a tier may hold: bytes (encoded block sizes) and blocks.</summary>
public readonly record struct KvTierBudget(long MaxBytes, int MaxBlocks)
{
    /// <summary>True when a block of <paramref name="blockBytes"/> can join the given usage.</summary>
    public bool Fits(long bytesUsed, int blocksUsed, long blockBytes) =>
        bytesUsed + blockBytes <= MaxBytes && blocksUsed + 1 <= MaxBlocks;
}
