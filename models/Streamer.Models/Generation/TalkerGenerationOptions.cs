namespace Streamer.Models.Generation;

/// <summary>
/// How the talker picks codec ids (greedy). The logits processors run in the reference's order:
/// repetition penalty over every id so far (the codec prefix and the generated codes), then the
/// stop codes are masked until <see cref="MinNewTokens"/> codes exist, then
/// <see cref="SuppressCodes"/> are masked. Null stop/suppress lists take the config's defaults
/// (codec pad and codec end stop; codec bos is suppressed), as the reference's generate does.
/// </summary>
public sealed record TalkerGenerationOptions
{
    public int MaxNewTokens { get; init; } = 1024;

    public int MinNewTokens { get; init; }

    /// <summary>1 disables the penalty.</summary>
    public double RepetitionPenalty { get; init; } = 1.05;

    /// <summary>A reply ends when one of these is chosen; the stop code itself is not emitted.</summary>
    public IReadOnlyCollection<long>? StopCodes { get; init; }

    public IReadOnlyCollection<long>? SuppressCodes { get; init; }

    /// <summary>Keep each step's raw logits [vocab] (before any processor) for parity checks.</summary>
    public bool RecordStepLogits { get; init; }
}
