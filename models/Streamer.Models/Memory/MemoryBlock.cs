using Streamer.KvStore;

namespace Streamer.Models.Memory;

/// <summary>A block the memory produced: its id, media time, token count and rotary positions.</summary>
public sealed record MemoryBlock(KvBlockId Id, TimeSpan MediaStart, TimeSpan MediaEnd, int Tokens, long MaxPosition);
