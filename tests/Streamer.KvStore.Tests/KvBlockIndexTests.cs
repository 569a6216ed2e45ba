namespace Streamer.KvStore.Tests;

public class KvBlockIndexTests
{
    private static KvBlockMetadata Meta(long sequence, params float[][] keys) => TestBlocks.Create(sequence, [], keys).Metadata;

    [Fact]
    public void Cosine_matches_a_hand_computation()
    {
        // q = (1, 2, 2), |q| = 3; k = (2, 0, 1), |k| = sqrt(5); q.k = 4; cosine = 4 / (3 sqrt 5) = 0.596285
        float[] q = [1, 2, 2];
        float[] k = [2, 0, 1];
        Assert.Equal(4f / (3f * MathF.Sqrt(5f)), VectorMath.Cosine(q, k), 6);
        Assert.Equal(0.596285f, VectorMath.Cosine(q, k), 5);
        Assert.Equal(0f, VectorMath.Cosine(q, [0, 0, 0]));
    }

    [Fact]
    public void Simd_dot_product_agrees_with_a_scalar_loop_at_every_length()
    {
        var random = new Random(5);
        for (int n = 0; n < 70; n++)
        {
            float[] a = TestBlocks.RandomVector(random, n);
            float[] b = TestBlocks.RandomVector(random, n);
            double expected = 0;
            for (int i = 0; i < n; i++)
            {
                expected += a[i] * (double)b[i];
            }
            Assert.Equal(expected, VectorMath.Dot(a, b), 4);
        }
    }

    [Fact]
    public void Extent_is_the_high_water_mark_of_every_block_added_and_removal_does_not_lower_it()
    {
        var index = new KvBlockIndex(TestBlocks.Session, 2, 8);
        Assert.Null(index.Extent);

        // Out of order, as blocks recovered from several tiers may arrive.
        index.Add(TestBlocks.Create(2).Metadata);
        index.Add(TestBlocks.Create(0).Metadata);
        index.Add(TestBlocks.Create(5).Metadata);
        index.Remove(5);

        // Block 5 spans 2.5-3 s; its positions are 20..23.
        Assert.Equal(new KvStreamExtent(5, TimeSpan.Zero, TimeSpan.FromSeconds(3), 23), index.Extent);
    }

    [Fact]
    public void Layer_score_is_the_cosine_of_that_layer()
    {
        var index = new KvBlockIndex(TestBlocks.Session, 2, 3);
        index.Add(Meta(0, [2, 0, 1], [0, 1, 0]));

        IReadOnlyList<KvBlockMatch> layer0 = index.TopK(0, [1, 2, 2], 1);
        IReadOnlyList<KvBlockMatch> layer1 = index.TopK(1, [1, 2, 2], 1);

        Assert.Equal(0.596285f, layer0[0].Score, 5);
        // (0,1,0) against (1,2,2): 2 / 3
        Assert.Equal(2f / 3f, layer1[0].Score, 5);
    }

    [Fact]
    public void All_layer_score_is_the_mean_of_the_layer_cosines()
    {
        var index = new KvBlockIndex(TestBlocks.Session, 2, 3);
        index.Add(Meta(0, [2, 0, 1], [0, 1, 0]));

        IReadOnlyList<KvBlockMatch> matches = index.TopK([1, 2, 2, 1, 2, 2], 1);

        Assert.Equal((0.596285f + 2f / 3f) / 2, matches[0].Score, 5);
    }

    [Fact]
    public void Planted_block_near_the_query_is_top_1_among_500_random_blocks()
    {
        const int dim = 64;
        var random = new Random(123);
        var index = new KvBlockIndex(TestBlocks.Session, 1, dim);
        float[] query = TestBlocks.RandomVector(random, dim);
        for (int i = 0; i < 500; i++)
        {
            index.Add(Meta(i, TestBlocks.RandomVector(random, dim)));
        }
        float[] near = query.Select(v => v * 2.5f + (float)(random.NextDouble() - 0.5) * 0.2f).ToArray();
        index.Add(Meta(500, near));
        for (int i = 501; i < 520; i++)
        {
            index.Add(Meta(i, TestBlocks.RandomVector(random, dim)));
        }

        IReadOnlyList<KvBlockMatch> top = index.TopK(0, query, 5);

        Assert.Equal(5, top.Count);
        Assert.Equal(500, top[0].Id.Sequence);
        Assert.True(top[0].Score > 0.95f);
        Assert.True(top.Zip(top.Skip(1)).All(p => p.First.Score >= p.Second.Score));
        Assert.Equal(TimeSpan.FromMilliseconds(250_000), top[0].MediaStart);
    }

    [Fact]
    public void Time_order_option_returns_the_same_blocks_sorted_by_sequence()
    {
        var index = new KvBlockIndex(TestBlocks.Session, 1, 2);
        index.Add(Meta(0, [1, 0]));   // cosine with (1,0): 1
        index.Add(Meta(1, [0, 1]));   // 0
        index.Add(Meta(2, [1, 1]));   // 0.707
        index.Add(Meta(3, [-1, 0]));  // -1

        IReadOnlyList<KvBlockMatch> best = index.TopK(0, [1, 0], 3);
        IReadOnlyList<KvBlockMatch> timed = index.TopK(0, [1, 0], 3, new KvTopKOptions { TimeOrder = true });

        Assert.Equal([0L, 2L, 1L], best.Select(m => m.Id.Sequence));
        Assert.Equal([0L, 1L, 2L], timed.Select(m => m.Id.Sequence));
    }

    [Fact]
    public void Smoothing_averages_each_score_with_its_neighbours()
    {
        var index = new KvBlockIndex(TestBlocks.Session, 1, 2);
        index.Add(Meta(0, [1, 0]));   // 1
        index.Add(Meta(1, [-1, 0]));  // -1
        index.Add(Meta(2, [0, 1]));   // 0
        index.Add(Meta(3, [1, 0]));   // 1
        index.Add(Meta(4, [1, 0]));   // 1

        IReadOnlyList<KvBlockMatch> smoothed = index.TopK(0, [1, 0], 5, new KvTopKOptions { SmoothingRadius = 1, TimeOrder = true });

        // Means over the window, clipped at the ends: (1-1)/2, (1-1+0)/3, (-1+0+1)/3, (0+1+1)/3, (1+1)/2
        Assert.Equal([0f, 0f, 0f, 2f / 3f, 1f], smoothed.Select(m => m.Score), new ToleranceComparer(1e-5f));
        Assert.Equal(4, index.TopK(0, [1, 0], 1, new KvTopKOptions { SmoothingRadius = 1 })[0].Id.Sequence);
    }

    [Fact]
    public void Before_sequence_leaves_out_the_recent_window()
    {
        var index = new KvBlockIndex(TestBlocks.Session, 1, 2);
        for (int i = 0; i < 10; i++)
        {
            index.Add(Meta(i, [1, i]));
        }

        IReadOnlyList<KvBlockMatch> matches = index.TopK(0, [0, 1], 3, new KvTopKOptions { BeforeSequence = 5 });

        Assert.Equal([4L, 3L, 2L], matches.Select(m => m.Id.Sequence));
    }

    [Fact]
    public void Removed_blocks_are_never_returned_even_after_compaction()
    {
        var random = new Random(9);
        var index = new KvBlockIndex(TestBlocks.Session, 1, 4);
        for (int i = 0; i < 1000; i++)
        {
            index.Add(Meta(i, TestBlocks.RandomVector(random, 4)));
        }
        for (int i = 0; i < 1000; i += 3)
        {
            index.Remove(i);
        }
        for (int i = 0; i < 900; i++)
        {
            index.Remove(i); // most of the slots become holes, forcing compaction
        }

        IReadOnlyList<KvBlockMatch> all = index.TopK(0, [1, 0, 0, 0], 1000, new KvTopKOptions { TimeOrder = true });

        long[] expected = Enumerable.Range(900, 100).Where(i => i % 3 != 0).Select(i => (long)i).ToArray();
        Assert.Equal(expected, all.Select(m => m.Id.Sequence));
        Assert.Equal(expected.Length, index.Count);
    }

    [Fact]
    public void Blocks_added_out_of_order_still_smooth_in_sequence_order()
    {
        var index = new KvBlockIndex(TestBlocks.Session, 1, 2);
        index.Add(Meta(2, [0, 1]));   // 0
        index.Add(Meta(0, [1, 0]));   // 1
        index.Add(Meta(1, [-1, 0]));  // -1

        IReadOnlyList<KvBlockMatch> smoothed = index.TopK(0, [1, 0], 3, new KvTopKOptions { SmoothingRadius = 1, TimeOrder = true });

        // In sequence order the scores are 1, -1, 0: means (1-1)/2, (1-1+0)/3, (-1+0)/2.
        Assert.Equal([0f, 0f, -0.5f], smoothed.Select(m => m.Score), new ToleranceComparer(1e-5f));
    }

    [Fact]
    public void Add_rejects_keys_of_another_shape()
    {
        var index = new KvBlockIndex(TestBlocks.Session, 1, 2);
        Assert.Throws<ArgumentException>(() => index.Add(Meta(0, [1, 0, 0])));
        Assert.Throws<ArgumentException>(() => index.TopK(0, [1, 0, 0], 1));
    }

    private sealed class ToleranceComparer(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => MathF.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}
