namespace Streamer.Models.Memory;

/// <summary>Per-question retrieval settings; unset values come from the memory's options.</summary>
public sealed record ReKVQuery
{
    public int? TopKFrames { get; init; }

    public int? AveragingRadius { get; init; }

    /// <summary>
    /// Decode over the recent window too (the default). Without it every block, the window's
    /// included, is a retrieval candidate and the answer sees only the sink and what was retrieved.
    /// </summary>
    public bool IncludeRecentWindow { get; init; } = true;
}
