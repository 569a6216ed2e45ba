namespace Streamer.KvStore;

public sealed class KvTopKOptions
{
    public static KvTopKOptions Default { get; } = new();

    /// <summary>
    /// Scores each block by the mean of its own and up to this many neighbours' scores on
    /// each side (in sequence order), so a moment spanning several blocks wins over one
    /// lucky block. Zero scores blocks alone.
    /// </summary>
    public int SmoothingRadius { get; init; }

    /// <summary>Return the chosen blocks in time order instead of best first.</summary>
    public bool TimeOrder { get; init; }

    /// <summary>Only blocks with a sequence number below this are candidates (null: all);
    /// used to leave out the recent window the model already holds.</summary>
    public long? BeforeSequence { get; init; }

    public void Validate()
    {
        if (SmoothingRadius < 0)
        {
            throw new KvStoreOptionsException(nameof(SmoothingRadius), $"must not be negative, was {SmoothingRadius}");
        }
    }
}
