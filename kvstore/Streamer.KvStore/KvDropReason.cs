namespace Streamer.KvStore;

/// <summary>Why the store let go of a block it was asked to keep.</summary>
public enum KvDropReason
{
    /// <summary>The block is larger than every tier's whole budget.</summary>
    TooLarge,
    /// <summary>No tier from the wanted one down could take it: full of leased blocks,
    /// refusing, or unavailable (Redis down).</summary>
    NoTierAvailable,
    /// <summary>Least recently used in the coldest tier, with nothing colder to go to.</summary>
    EvictedFromColdest,
    /// <summary>Its bytes failed their checksum when read.</summary>
    Corrupt,
    /// <summary>The tier no longer had it (expired TTL, a restarted Redis, a dropped disk segment).</summary>
    Lost,
}
