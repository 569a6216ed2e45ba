namespace Streamer.Models.Generation;

/// <summary>
/// The talker's logits processors on one row of float32 scores, as the reference applies them
/// (<c>RepetitionPenaltyLogitsProcessor</c>, <c>MinNewTokensLengthLogitsProcessor</c>,
/// <c>SuppressTokensLogitsProcessor</c>), plus the greedy pick.
/// </summary>
public static class CodecLogitsProcessor
{
    /// <summary>
    /// Every id seen so far has its score divided by the penalty when positive and multiplied when
    /// negative, once per distinct id however often it occurred.
    /// </summary>
    public static void ApplyRepetitionPenalty(Span<float> scores, IEnumerable<long> seenIds, double penalty)
    {
        if (penalty == 1.0)
        {
            return;
        }
        if (penalty <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(penalty), penalty, "repetition penalty must be positive");
        }
        foreach (var id in seenIds.Distinct())
        {
            if (id < 0 || id >= scores.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(seenIds), id, $"id outside the vocabulary [0, {scores.Length})");
            }
            var s = scores[(int)id];
            scores[(int)id] = s < 0 ? (float)(s * penalty) : (float)(s / penalty);
        }
    }

    /// <summary>Sets the scores of <paramref name="ids"/> to -infinity.</summary>
    public static void Mask(Span<float> scores, IEnumerable<long> ids)
    {
        foreach (var id in ids)
        {
            if (id < 0 || id >= scores.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(ids), id, $"id outside the vocabulary [0, {scores.Length})");
            }
            scores[(int)id] = float.NegativeInfinity;
        }
    }

    /// <summary>Index of the largest score, the first one on ties (as torch.argmax); NaN never wins.</summary>
    public static int ArgMax(ReadOnlySpan<float> scores)
    {
        var best = -1;
        for (var i = 0; i < scores.Length; i++)
        {
            if (!float.IsNaN(scores[i]) && (best < 0 || scores[i] > scores[best]))
            {
                best = i;
            }
        }
        return best < 0 ? throw new ArgumentException("no score to pick from (empty or all NaN)", nameof(scores)) : best;
    }
}
