namespace Streamer.KvStore;

/// <summary>
/// What a read found. <see cref="Tier"/> names the tier the block was read from (before
/// any promotion), or the tier that failed.
/// </summary>
public readonly record struct KvGetResult(KvGetStatus Status, KvBlock? Block, string? Tier, KvBlockCorruptException? Corruption)
{
    public bool Found => Status == KvGetStatus.Hit;
}
