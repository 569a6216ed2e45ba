namespace Streamer.Server.Sessions;

/// <summary>
/// A session's streaming memory: blocks made and the frames in them, what was dropped on the
/// way (sampled frames the vision encoder could not keep up with, blocks the store refused),
/// why the memory stage stopped if it failed, and each tier's use.
/// </summary>
public sealed record MemoryStatsDto(
    long Blocks,
    long FramesInMemory,
    long FramesDropped,
    long BlocksDropped,
    string? Error,
    IReadOnlyList<MemoryTierDto> Tiers);

/// <summary>One tier of a session's streaming memory (host, disk, redis): blocks held, their size and the tier's budget.</summary>
public sealed record MemoryTierDto(string Tier, long Blocks, long Bytes, long MaxBytes);
