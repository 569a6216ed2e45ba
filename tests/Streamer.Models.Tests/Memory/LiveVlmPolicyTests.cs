using Streamer.KvStore;
using Streamer.Models.Memory;
using Streamer.Models.Qwen25Omni;
using Streamer.Models.Tests.Fixtures;
using Streamer.Models.Tests.Qwen25Omni;
using static TorchSharp.torch;

namespace Streamer.Models.Tests.Memory;

[Trait("Category", "Memory")]
public sealed class LiveVlmPolicyTests
{
    private const int Blocks = 200;
    private const int Target = 137;

    public static TheoryData<string> Folders => FixtureData.Folders();

    [Theory]
    [MemberData(nameof(Folders))]
    public void Page_matching_the_question_is_retrieved_among_hundreds_wherever_its_positions_sit(string folder)
    {
        using var model = TinyMemoryModel.Load(folder);
        var thinker = model.Thinker;
        // The same content streamed at positions from the start and 100k positions later.
        foreach (var offset in new[] { 0, 100_000 })
        {
            using var store = TinyMemoryModel.HostStore();
            using var memory = Open(model, store, $"live-{offset}", keepRatio: 0.5);
            var policy = Assert.IsType<LiveVlmPolicy>(memory.Policy);
            var question = model.Question(seed: 72);
            var query = policy.MeanQuery(question);
            var rng = new Random(73);
            for (var i = 0; i < Blocks; i++)
            {
                var keys = SyntheticBlocks.RandomKeys(thinker, rng);
                // Every token of the target carries the question's mean query; others are random.
                Func<int, float[][]> tokens = i == Target ? _ => query : _ => SyntheticBlocks.RandomKeys(thinker, rng);
                var positions = SyntheticBlocks.Positions(10, offset + 10 + 25 * i);
                // The metadata's retrieval keys are a decoy: a page is scored only by what its own keys say.
                memory.StoreBlock(SyntheticBlocks.Make(thinker, memory.SessionId, i, tokens, positions, keys, rng));
            }

            using var context = policy.Retrieve(question);

            Assert.Equal(4, context.Retrieved.Count);
            var target = Assert.Single(context.Retrieved, m => m.Id.Sequence == Target);
            // Rotary removed exactly: the page's key is the query itself, at any offset.
            Assert.Equal(1.0, target.Score, 1e-4);
            Assert.Equal(context.Retrieved.Max(m => m.Score), target.Score);
            Assert.Equal(memory.SinkLength + 4 * 3, context.Cache.Length);
        }
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public void Stored_pages_keep_the_configured_share_of_tokens_with_their_original_keys_and_positions(string folder)
    {
        using var model = TinyMemoryModel.Load(folder);
        var thinker = model.Thinker;
        using var liveStore = TinyMemoryModel.HostStore();
        using var fullStore = TinyMemoryModel.HostStore();
        using var live = Open(model, liveStore, "pages", keepRatio: 0.5);
        using var full = model.Open(fullStore, "pages", sinkSeed: 71, new StreamingMemoryOptions { WindowTokens = 0 });
        var frames = MemoryStream.Frames(8, seed: 82);

        var blocks = live.AppendFrames(frames);
        full.AppendFrames(frames);

        Assert.Equal(4, blocks.Count);
        var text = thinker.TextConfig;
        foreach (var block in blocks)
        {
            Assert.True(liveStore.TryGet(block.Id, out var page));
            Assert.True(fullStore.TryGet(block.Id, out var whole));
            Assert.Equal(3, page.Metadata.TokenCount);
            Assert.Equal(whole.Payload.Length / 2, page.Payload.Length);
            // Each kept token is one of the block's tokens: same positions on all axes, same keys and values bit for bit.
            var kept = KeptIndices(whole.Metadata, page.Metadata);
            using var pageTensors = Decode(thinker, page);
            using var wholeTensors = Decode(thinker, whole);
            var index = tensor(kept.Select(i => (long)i).ToArray());
            for (var layer = 0; layer < text.NumHiddenLayers; layer++)
            {
                Assert.True(wholeTensors.Keys[layer].index_select(2, index).eq(pageTensors.Keys[layer]).all().item<bool>());
                Assert.True(wholeTensors.Values[layer].index_select(2, index).eq(pageTensors.Values[layer]).all().item<bool>());
            }
        }
        var liveBytes = liveStore.Snapshot().Tiers[0].BytesUsed;
        var fullBytes = fullStore.Snapshot().Tiers[0].BytesUsed;
        Assert.True(liveBytes < 0.6 * fullBytes, $"pages take {liveBytes} bytes against {fullBytes}");
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public void Removing_rotary_from_stored_keys_gives_back_the_pre_rotary_keys(string folder)
    {
        using var model = TinyMemoryModel.Load(folder);
        var thinker = model.Thinker;
        var rng = new Random(91);
        var keys = SyntheticBlocks.RandomKeys(thinker, rng);
        var positions = SyntheticBlocks.Positions(7, 5000);
        var block = SyntheticBlocks.Make(thinker, "unrotate", 0, _ => keys, positions, keys, rng);
        using var tensors = Decode(thinker, block);
        var compressor = new LiveVlmCompressor(thinker, new LiveVlmOptions());

        var last = thinker.TextConfig.NumHiddenLayers - 1;

        var pre = compressor.RemoveRotary(tensors.Keys[last], positions);

        var expected = tensor(keys[last], [1, thinker.TextConfig.NumKeyValueHeads, 1, thinker.TextConfig.HeadDim])
            .expand(pre.shape);
        ThinkerFixture.AssertClose(expected, pre, "pre-rotary keys", atol: 1e-4);
        // Without undoing it the stored keys are far from the content.
        Assert.False(tensors.Keys[last].allclose(expected, 1e-2, 1e-2));
    }

    [Fact]
    public void Attention_received_goes_to_the_key_every_query_points_at()
    {
        using var scope = NewDisposeScope();
        // One head, three tokens, two dims: all queries point along x, only key 0 does.
        var queries = tensor(new float[] { 1, 0, 1, 0, 1, 0 }, [1, 1, 3, 2]);
        var keys = tensor(new float[] { 10, 0, 0, 10, 0, -10 }, [1, 1, 3, 2]);
        var probe = new AttentionReceivedProbe(kvGroups: 1);

        probe.Observe(0, queries, keys);
        probe.Observe(1, queries, keys);

        var received = probe.Received();
        // Softmax rows sum to one: 3 queries x 2 layers of attention handed out in all.
        Assert.Equal(6.0, received.Sum(), 1e-5);
        Assert.True(received[0] > 5.9, $"token 0 received {received[0]}");
        Assert.Equal(received[1], received[2], 1e-6);
    }

    [Theory]
    [InlineData(0.25, 6, 2)]
    [InlineData(0.5, 6, 3)]
    [InlineData(0.01, 6, 1)]
    [InlineData(1.0, 6, 6)]
    [InlineData(0.25, 256, 64)]
    public void Kept_tokens_follow_the_ratio_and_keep_at_least_one(double ratio, int tokens, int kept) =>
        Assert.Equal(kept, new LiveVlmOptions { KeepRatio = ratio }.KeptTokens(tokens));

    private static StreamingVideoMemory Open(TinyMemoryModel model, TieredKvStore store, string session, double keepRatio) =>
        model.Open(store, session, sinkSeed: 71, new StreamingMemoryOptions
        {
            Policy = MemoryPolicyNames.LiveVlm,
            WindowTokens = 0,
            TopKFrames = 8,
            LiveVlm = new LiveVlmOptions { KeepRatio = keepRatio },
        });

    // Which of the whole block's tokens each page token is, by its three positions.
    private static int[] KeptIndices(KvBlockMetadata whole, KvBlockMetadata page)
    {
        var (n, k) = (whole.TokenCount, page.TokenCount);
        return Enumerable.Range(0, k).Select(j => Enumerable.Range(0, n).Single(i =>
            whole.RotaryPositions[i] == page.RotaryPositions[j]
            && whole.RotaryPositions[n + i] == page.RotaryPositions[k + j]
            && whole.RotaryPositions[2 * n + i] == page.RotaryPositions[2 * k + j])).ToArray();
    }

    private static KvBlockTensors Decode(Qwen25OmniThinker thinker, KvBlock block)
    {
        var text = thinker.TextConfig;
        Assert.True(KvBlockTensors.TryDecode(block, text.NumHiddenLayers, text.NumKeyValueHeads, text.HeadDim, thinker.DType, thinker.Device, out var tensors));
        return tensors!;
    }
}
