namespace Streamer.KvStore;

/// <summary>Where a put landed (normally the top tier), or why the block was dropped.</summary>
public readonly record struct KvPutResult(string? Tier, KvDropReason? DropReason)
{
    public bool Stored => Tier is not null;
}
