namespace Streamer.Models.Generation;

/// <summary>
/// How the thinker picks tokens. Greedy unless <see cref="DoSample"/>; sampling applies
/// temperature, then top-k, then top-p (the order of the reference logits processors) and draws
/// with a generator seeded from <see cref="Seed"/>, so a run is reproducible.
/// </summary>
public sealed record GenerationOptions
{
    public int MaxNewTokens { get; init; } = 64;

    public bool DoSample { get; init; }

    public double Temperature { get; init; } = 1.0;

    /// <summary>0 disables top-k.</summary>
    public int TopK { get; init; }

    /// <summary>1 disables top-p.</summary>
    public double TopP { get; init; } = 1.0;

    public ulong Seed { get; init; }

    /// <summary>A sequence ends after emitting one of these (the stop token is emitted).</summary>
    public IReadOnlyCollection<long> StopTokenIds { get; init; } = [];

    /// <summary>Fed and reported for rows that already stopped while others continue.</summary>
    public long PadTokenId { get; init; }

    /// <summary>Keep each step's raw logits [B, vocab] (for parity checks and debugging).</summary>
    public bool RecordStepLogits { get; init; }
}
