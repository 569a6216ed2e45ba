using Streamer.KvStore;
using Streamer.Models.Memory;
using Streamer.Models.Tests.Fixtures;

namespace Streamer.Models.Tests.Memory;

/// <summary>
/// Flash-VStream keeps a fixed-size memory. The guarantee checked for a distinctive block is the
/// synopsis one: it stays a centroid of its own (weight: its own frames) and is the centroid
/// nearest the question; it is not claimed to be a detail block, which go to the largest clusters.
/// </summary>
[Trait("Category", "Memory")]
public sealed class FlashVStreamPolicyTests
{
    private const int Blocks = 300;
    private const int Target = 137;

    public static TheoryData<string> Folders => FixtureData.Folders();

    [Theory]
    [MemberData(nameof(Folders))]
    public void Distinctive_block_among_hundreds_is_the_synopsis_centroid_nearest_the_question(string folder)
    {
        using var model = TinyMemoryModel.Load(folder);
        var thinker = model.Thinker;
        using var store = TinyMemoryModel.HostStore();
        using var memory = Open(model, store, "flash", windowTokens: 0, centroids: 8, details: 2);
        var policy = Assert.IsType<FlashVStreamPolicy>(memory.Policy);
        var question = model.Question(seed: 102);
        var query = new ReKVRetriever(memory).MeanQuery(question);
        var rng = new Random(103);
        var scenes = Enumerable.Range(0, 4).Select(_ => SyntheticBlocks.RandomKeys(thinker, rng)).ToArray();
        for (var i = 0; i < Blocks; i++)
        {
            // Four scenes of 75 blocks each with small jitter; the target carries the question's mean query.
            var keys = i == Target ? query : Jitter(scenes[i / 75], rng);
            memory.StoreBlock(SyntheticBlocks.Make(thinker, memory.SessionId, i, _ => keys, SyntheticBlocks.Positions(10, 10 + 25 * i), keys, rng));
        }

        var synopsis = policy.Synopsis;
        var nearest = synopsis.OrderByDescending(c => SyntheticBlocks.Cosine(c.Keys, query)).First();
        Assert.Equal(Target, nearest.Representative.Sequence);
        Assert.Equal(memory.FramesPerBlock, nearest.Weight);
        Assert.Equal(1.0, SyntheticBlocks.Cosine(nearest.Keys, query), 1e-5);
        // Constant memory: only the detail blocks are left in the store.
        Assert.Equal(2, store.Count);
        Assert.Equal(policy.DetailBlocks.Order(), Enumerable.Range(0, Blocks).Select(i => new KvBlockId(memory.SessionId, i)).Where(store.Contains).Order());
        Assert.True(synopsis.Count <= 8);

        using var context = policy.Retrieve(question);

        Assert.Equal(memory.SinkLength + synopsis.Count + 2 * SyntheticBlocks.Tokens, context.Cache.Length);
        Assert.Equal(2, context.Retrieved.Count);
        Assert.Empty(context.Missing);
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public void Store_and_answer_context_stay_bounded_as_the_stream_grows_tenfold(string folder)
    {
        using var model = TinyMemoryModel.Load(folder);
        // Bytes of one stored block of the tiny model (all blocks are the same size).
        long blockBytes = 0;
        foreach (var groups in new[] { 3, 30 })
        {
            using var store = TinyMemoryModel.HostStore();
            using var memory = Open(model, store, "constant", windowTokens: MemoryStream.TokensPerBlock, centroids: 3, details: 2);
            var frames = MemoryStream.Frames(2 * groups, seed: 110);
            for (var g = 0; g < groups; g++)
            {
                memory.AppendFrames(frames[(2 * g)..(2 * g + 2)]);
                // Bounded at every step, not only at the end: details plus the one window block.
                Assert.True(store.Count <= 3, $"{store.Count} blocks stored after {g + 1} groups");
            }
            using var context = memory.Policy.Retrieve(model.Question(seed: 111));
            var policy = (FlashVStreamPolicy)memory.Policy;
            // Every frame is counted in the synopsis though few blocks are kept.
            Assert.Equal(2 * groups, policy.Synopsis.Sum(c => c.Weight));
            Assert.Equal(3, policy.Synopsis.Count);
            var bytes = store.Snapshot().Tiers[0].BytesUsed;
            blockBytes = blockBytes == 0 ? bytes / store.Count : blockBytes;
            Assert.True(bytes <= 3 * blockBytes, $"{bytes} bytes stored after {groups} groups");
            // Sink + 3 synopsis tokens + at most 2 detail blocks + the window block.
            Assert.InRange(context.Cache.Length, memory.SinkLength + 3 + MemoryStream.TokensPerBlock, memory.SinkLength + 3 + 3 * MemoryStream.TokensPerBlock);
            Assert.Equal(2, policy.DetailBlocks.Count);
        }
    }

    private static float[][] Jitter(float[][] keys, Random rng) =>
        keys.Select(layer => layer.Select(x => x + 0.05f * SyntheticBlocks.Gaussian(rng)).ToArray()).ToArray();

    private static StreamingVideoMemory Open(TinyMemoryModel model, TieredKvStore store, string session, int windowTokens, int centroids, int details) =>
        model.Open(store, session, sinkSeed: 101, new StreamingMemoryOptions
        {
            Policy = MemoryPolicyNames.FlashVStream,
            WindowTokens = windowTokens,
            FlashVStream = new FlashVStreamOptions { Centroids = centroids, DetailBlocks = details },
        });
}
