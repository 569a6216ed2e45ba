namespace Streamer.KvStore;

/// <summary>
/// A stored block failed its checksum. Returned inside <see cref="KvGetResult"/> rather than
/// thrown, so one damaged block cannot abort a retrieval; callers may throw it.
/// </summary>
public sealed class KvBlockCorruptException : Exception
{
    public KvBlockCorruptException(KvBlockId blockId, string tier)
        : base($"KV block {blockId} in tier {tier} failed its checksum and was discarded.")
    {
        BlockId = blockId;
        Tier = tier;
    }

    public KvBlockId BlockId { get; }

    public string Tier { get; }
}
