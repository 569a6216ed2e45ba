namespace Streamer.KvStore.Tests;

public class KvBlockMetadataTests
{
    private static readonly int[][] TwoLayerShapes = [[2, 1, 4, 64], [2, 1, 4, 64]];

    [Fact]
    public void Constructor_rejects_retrieval_keys_that_do_not_match_the_layers()
    {
        float[][] oneKey = [new float[8]];
        Assert.Throws<ArgumentException>(() => new KvBlockMetadata(
            TestBlocks.Id(1), TimeSpan.Zero, TimeSpan.FromSeconds(1), 4, "bfloat16", TwoLayerShapes, 0, [], oneKey));
    }

    [Fact]
    public void Constructor_rejects_keys_of_different_lengths()
    {
        float[][] ragged = [new float[8], new float[7]];
        Assert.Throws<ArgumentException>(() => new KvBlockMetadata(
            TestBlocks.Id(1), TimeSpan.Zero, TimeSpan.FromSeconds(1), 4, "bfloat16", TwoLayerShapes, 0, [], ragged));
    }

    [Fact]
    public void Constructor_rejects_rotary_positions_of_the_wrong_size()
    {
        float[][] keys = [new float[8], new float[8]];
        Assert.Throws<ArgumentException>(() => new KvBlockMetadata(
            TestBlocks.Id(1), TimeSpan.Zero, TimeSpan.FromSeconds(1), 4, "bfloat16", TwoLayerShapes, 3, new int[11], keys));
    }

    [Fact]
    public void Constructor_rejects_end_before_start()
    {
        float[][] keys = [new float[8], new float[8]];
        Assert.Throws<ArgumentException>(() => new KvBlockMetadata(
            TestBlocks.Id(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1), 4, "bfloat16", TwoLayerShapes, 0, [], keys));
    }

    [Fact]
    public void Block_ids_order_by_session_then_sequence()
    {
        Assert.True(new KvBlockId("a", 9) < new KvBlockId("b", 1));
        Assert.True(new KvBlockId("a", 2) < new KvBlockId("a", 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => new KvBlockId("a", -1));
        Assert.Throws<ArgumentException>(() => new KvBlockId("", 1));
    }
}
