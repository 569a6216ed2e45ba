namespace Streamer.Models.Memory;

/// <summary>Flash-VStream: the fixed sizes of the memory, whatever the stream's length.</summary>
public sealed record FlashVStreamOptions
{
    /// <summary>Centroids of the synopsis; each becomes one token per layer of the answer context.</summary>
    public int Centroids { get; init; } = 32;

    /// <summary>Full-detail blocks kept: those nearest the centroids that merged the most frames.</summary>
    public int DetailBlocks { get; init; } = 4;

    /// <summary>Upper bound on Lloyd iterations per update (they usually settle in one or two).</summary>
    public int MaxIterations { get; init; } = 10;

    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Centroids);
        ArgumentOutOfRangeException.ThrowIfNegative(DetailBlocks);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(DetailBlocks, Centroids);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxIterations);
    }
}
