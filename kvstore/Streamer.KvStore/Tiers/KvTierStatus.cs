namespace Streamer.KvStore;

/// <summary>Outcome of a tier operation. Tiers report failures with these codes, never by throwing.</summary>
public enum KvTierStatus
{
    Ok = 0,
    /// <summary>The tier does not hold the block (never stored, removed, expired or dropped).</summary>
    NotFound,
    /// <summary>The stored bytes failed their checksum; the tier has discarded the block.</summary>
    Corrupt,
    /// <summary>The tier cannot be reached right now (Redis down, disk error); try another tier.</summary>
    Unavailable,
    /// <summary>The block fits the tier's budget, but not next to what the tier already holds.</summary>
    NoRoom,
    /// <summary>The block is larger than the tier's whole budget.</summary>
    TooLarge,
}
