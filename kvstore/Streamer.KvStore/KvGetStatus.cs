namespace Streamer.KvStore;

public enum KvGetStatus
{
    Hit = 0,
    /// <summary>The store does not hold the block (or held it and lost it).</summary>
    Miss,
    /// <summary>The block was found damaged, reported and discarded.</summary>
    Corrupt,
    /// <summary>The tier holding the block cannot be reached now; it may be readable later.</summary>
    Unavailable,
}
