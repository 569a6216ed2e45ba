namespace Streamer.KvStore;

/// <summary>
/// How far a session's stream has reached in its index: the highest block sequence, the
/// earliest media start and latest media end, and the highest rotary position of any block
/// added (removals do not lower them). A memory reopened over a store that kept the blocks
/// continues after these, so new blocks never collide with the old ones.
/// </summary>
/// <param name="MaxRotaryPosition">Highest rotary position id of any row, or -1 when no block kept positions.</param>
public readonly record struct KvStreamExtent(long LastSequence, TimeSpan FirstMediaStart, TimeSpan LastMediaEnd, int MaxRotaryPosition);
