using Streamer.Models.Generation;

namespace Streamer.Models.Tests.Generation;

public sealed class CodecLogitsProcessorTests
{
    [Fact]
    public void Repetition_penalty_divides_positive_and_multiplies_negative_scores_once_per_distinct_id()
    {
        float[] scores = [2f, -2f, 1f, 0.5f];

        // id 1 appears twice but is penalised once; ids 2 and 3 were never seen.
        CodecLogitsProcessor.ApplyRepetitionPenalty(scores, [0, 1, 1], 2.0);

        Assert.Equal([1f, -4f, 1f, 0.5f], scores);
    }

    [Fact]
    public void Repetition_penalty_of_one_leaves_scores_alone_and_a_non_positive_penalty_is_rejected()
    {
        float[] scores = [3f, -1f];

        CodecLogitsProcessor.ApplyRepetitionPenalty(scores, [0, 1], 1.0);

        Assert.Equal([3f, -1f], scores);
        Assert.Throws<ArgumentOutOfRangeException>(() => CodecLogitsProcessor.ApplyRepetitionPenalty(scores, [0], 0.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => CodecLogitsProcessor.ApplyRepetitionPenalty(scores, [2], 1.05));
    }

    [Fact]
    public void Repetition_penalty_never_raises_a_seen_score_and_never_touches_an_unseen_one()
    {
        var rng = new Random(1234);
        for (var iteration = 0; iteration < 2000; iteration++)
        {
            var scores = Enumerable.Range(0, 16).Select(_ => (float)(rng.NextDouble() * 20 - 10)).ToArray();
            var before = (float[])scores.Clone();
            var seen = Enumerable.Range(0, rng.Next(0, 10)).Select(_ => (long)rng.Next(0, 16)).ToHashSet();
            var penalty = 1.0 + rng.NextDouble();

            CodecLogitsProcessor.ApplyRepetitionPenalty(scores, seen, penalty);

            for (var i = 0; i < scores.Length; i++)
            {
                if (seen.Contains(i))
                {
                    Assert.True(scores[i] <= before[i], $"id {i}: {before[i]} -> {scores[i]} with penalty {penalty}");
                    Assert.Equal(Math.Sign(before[i]), Math.Sign(scores[i]));
                }
                else
                {
                    Assert.Equal(before[i], scores[i]);
                }
            }
        }
    }

    [Fact]
    public void Mask_sets_minus_infinity_and_rejects_ids_outside_the_vocabulary()
    {
        float[] scores = [1f, 2f, 3f];

        CodecLogitsProcessor.Mask(scores, [2, 0]);

        Assert.Equal([float.NegativeInfinity, 2f, float.NegativeInfinity], scores);
        Assert.Throws<ArgumentOutOfRangeException>(() => CodecLogitsProcessor.Mask(scores, [3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => CodecLogitsProcessor.Mask(scores, [-1]));
    }

    [Fact]
    public void ArgMax_picks_the_first_maximum_and_skips_nan()
    {
        Assert.Equal(1, CodecLogitsProcessor.ArgMax([0f, 5f, 5f, 1f]));
        Assert.Equal(2, CodecLogitsProcessor.ArgMax([float.NaN, -1f, 4f]));
        Assert.Equal(0, CodecLogitsProcessor.ArgMax([float.NegativeInfinity, float.NegativeInfinity]));
        Assert.Throws<ArgumentException>(() => CodecLogitsProcessor.ArgMax([float.NaN]));
    }
}
