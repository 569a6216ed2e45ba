using Streamer.KvStore;
using Streamer.Models.Memory;

namespace Streamer.Models.Tests.Memory;

[Trait("Category", "Memory")]
public sealed class FlashVStreamSynopsisTests
{
    private const int Dim = 16;

    [Fact]
    public void Distinct_block_stays_its_own_centroid_while_scenes_merge_by_weight()
    {
        var synopsis = new FlashVStreamSynopsis(centroids: 4, maxIterations: 10);
        var rng = new Random(5);
        // Three scenes along axes 0, 1 and 2 take turns in runs of 20 blocks; block 137 points along axis 9.
        for (var i = 0; i < 300; i++)
        {
            var key = i == 137 ? Axis(9, 0, rng) : Axis(i / 20 % 3, 0.05, rng);
            synopsis.Add(new KvBlockId("s", i), [key], [key], [i, 0, 0], 2, TimeSpan.FromSeconds(i), TimeSpan.FromSeconds(i + 1));
        }

        Assert.Equal(4, synopsis.Centroids.Count);
        var lone = Assert.Single(synopsis.Centroids, c => c.Representative.Sequence == 137);
        // Never averaged with anything: exactly the block's own features and frames.
        Assert.Equal(2, lone.Weight);
        Assert.Equal(1f, lone.Keys[0][9]);
        Assert.Equal(137.0, lone.Position[0]);
        Assert.Equal(600, synopsis.Centroids.Sum(c => c.Weight));
        // The three heavy clusters are the three scenes and their representatives are scene blocks.
        var details = synopsis.Details(3);
        Assert.Equal(3, details.Count);
        Assert.Equal([0, 1, 2], details.Select(d => (d.Sequence / 20 % 3)).Order());
        Assert.DoesNotContain(details, d => d.Sequence == 137);
    }

    [Fact]
    public void Centroid_is_the_weighted_mean_of_the_blocks_it_merged()
    {
        var synopsis = new FlashVStreamSynopsis(centroids: 1, maxIterations: 10);
        var rng = new Random(6);

        synopsis.Add(new KvBlockId("s", 0), [Axis(0, 0, rng)], [Axis(0, 0, rng)], [0, 0, 0], 2, TimeSpan.Zero, TimeSpan.FromSeconds(1));
        synopsis.Add(new KvBlockId("s", 1), [Axis(1, 0, rng)], [Axis(1, 0, rng)], [30, 3, 3], 6, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4));

        var only = Assert.Single(synopsis.Centroids);
        Assert.Equal(8, only.Weight);
        // Weights 2 and 6: a quarter of the first block, three quarters of the second.
        Assert.Equal(0.25f, only.Keys[0][0], 1e-6f);
        Assert.Equal(0.75f, only.Values[0][1], 1e-6f);
        Assert.Equal(22.5, only.Position[0], 1e-9);
        Assert.Equal(TimeSpan.Zero, only.MediaStart);
        Assert.Equal(TimeSpan.FromSeconds(4), only.MediaEnd);
        // The heavier block is the one nearer the centre.
        Assert.Equal(1, only.Representative.Sequence);
    }

    private static float[] Axis(int axis, double noise, Random rng)
    {
        var v = new float[Dim];
        for (var i = 0; i < Dim; i++)
        {
            v[i] = (float)(noise * (rng.NextDouble() - 0.5));
        }
        v[axis] = 1;
        return v;
    }
}
