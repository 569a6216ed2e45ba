namespace Streamer.Models.Memory;

/// <summary>LiveVLM: the share of each block's tokens kept in its compressed page, and how tokens are scored.</summary>
public sealed record LiveVlmOptions
{
    /// <summary>Fraction of a block's tokens kept (at least one token), in (0, 1].</summary>
    public double KeepRatio { get; init; } = 0.25;

    public LiveVlmTokenScoring Scoring { get; init; } = LiveVlmTokenScoring.Attention;

    /// <summary>Tokens kept from a block of <paramref name="tokens"/>.</summary>
    public int KeptTokens(int tokens) => tokens == 0 ? 0 : Math.Clamp((int)Math.Ceiling(KeepRatio * tokens - 1e-9), 1, tokens);

    public void Validate()
    {
        if (!(KeepRatio > 0 && KeepRatio <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(KeepRatio), KeepRatio, "keep ratio must be in (0, 1]");
        }
        if (!Enum.IsDefined(Scoring))
        {
            throw new ArgumentOutOfRangeException(nameof(Scoring), Scoring, "unknown token scoring");
        }
    }
}
