using Streamer.KvStore;
using Streamer.Models.Memory;
using Streamer.Models.Qwen25Omni;
using Streamer.Models.Tests.Fixtures;
using Streamer.Models.Tests.Qwen25Omni;
using TorchSharp;
using static TorchSharp.torch;

namespace Streamer.Models.Tests.Memory;

[Trait("Category", "Memory")]
public sealed class ReKVRetrievalTests
{
    private const int Blocks = 300;
    private const int Target = 137;

    public static TheoryData<string> Folders => FixtureData.Folders();

    [Theory]
    [MemberData(nameof(Folders))]
    public void Block_whose_keys_match_the_question_is_retrieved_among_hundreds(string folder)
    {
        using var model = TinyMemoryModel.Load(folder);
        using var store = TinyMemoryModel.HostStore();
        using var memory = model.Open(store, "retrieval", sinkSeed: 21, new StreamingMemoryOptions { WindowTokens = 0, TopKFrames = 8 });
        var question = model.Question(seed: 22);
        var retriever = new ReKVRetriever(memory);
        var query = retriever.MeanQuery(question);
        var rng = new Random(23);
        for (var i = 0; i < Blocks; i++)
        {
            // Every other block's keys are random; the target's are the question's mean query.
            var keys = i == Target ? query : query.Select(q => q.Select(_ => SyntheticBlocks.Gaussian(rng)).ToArray()).ToArray();
            store.Put(SyntheticBlock(model.Thinker, memory.SessionId, i, keys, rng));
        }

        using var context = retriever.Retrieve(question);

        Assert.Equal(4, context.Retrieved.Count);
        Assert.Contains(context.Retrieved, m => m.Id.Sequence == Target);
        Assert.Equal(context.Retrieved.Max(m => m.Score), context.Retrieved.Single(m => m.Id.Sequence == Target).Score);
        Assert.Equal(context.Retrieved.OrderBy(m => m.Id.Sequence), context.Retrieved);
        Assert.Equal(memory.SinkLength + 4 * MemoryStream.TokensPerBlock, context.Cache.Length);
        Assert.Equal(memory.SinkLength, memory.WorkingLength);
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public void Mean_query_is_the_pre_rotary_query_averaged_over_tokens_and_each_key_heads_group(string folder)
    {
        using var model = TinyMemoryModel.Load(folder);
        var thinker = model.Thinker;
        using var store = TinyMemoryModel.HostStore();
        using var memory = model.Open(store, "probe", sinkSeed: 31);
        var question = model.Question(seed: 32);

        var query = new ReKVRetriever(memory).MeanQuery(question);

        // Layer 0 sees only the embeddings, so its queries can be computed by hand.
        var text = thinker.TextConfig;
        var layer = thinker.model.layers[0];
        var q = layer.self_attn.q_proj.forward(layer.input_layernorm.forward(thinker.Embed(question)));
        var expected = q.view(question.shape[1], text.NumKeyValueHeads, text.KvGroups, text.HeadDim).mean([0, 2]).flatten();
        ThinkerFixture.AssertClose(expected, tensor(query[0]), "layer 0 mean query");
        Assert.Equal(text.NumHiddenLayers, query.Length);
        Assert.Equal(memory.SinkLength, memory.WorkingLength);
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public void Block_retrieval_key_is_the_mean_pre_rotary_key_of_its_tokens(string folder)
    {
        using var model = TinyMemoryModel.Load(folder);
        var thinker = model.Thinker;
        using var store = TinyMemoryModel.HostStore();
        using var memory = model.Open(store, "keys", sinkSeed: 41);
        var frames = MemoryStream.Frames(2, seed: 42);

        var block = Assert.Single(memory.AppendFrames(frames));

        Assert.True(store.TryGet(block.Id, out var stored));
        using var vision = MemoryStream.Processor().Process(frames.Select(f => f.Image).ToArray(), MemoryStream.Fps);
        using var encoded = thinker.visual.forward(vision.PixelValues, vision.GridThw);
        var layer = thinker.model.layers[0];
        var k = layer.self_attn.k_proj.forward(layer.input_layernorm.forward(encoded.MergedEmbeddings));
        ThinkerFixture.AssertClose(k.mean([0]), tensor(stored.Metadata.RetrievalKeys[0]), "layer 0 retrieval key");
        Assert.Equal(MemoryStream.TokensPerBlock, stored.Metadata.TokenCount);
        Assert.Equal(TimeSpan.Zero, stored.Metadata.MediaStart);
        Assert.Equal(TimeSpan.FromSeconds(1), stored.Metadata.MediaEnd);
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public void Block_positions_follow_media_time_and_the_patch_grid(string folder)
    {
        using var model = TinyMemoryModel.Load(folder);
        using var store = TinyMemoryModel.HostStore();
        using var memory = model.Open(store, "positions", sinkSeed: 51);
        var sink = MemoryStream.SinkIds(model.Thinker.Config, seed: 51);
        var frames = MemoryStream.Frames(4, seed: 52);

        var blocks = memory.AppendFrames(frames);

        Assert.True(store.TryGet(blocks[1].Id, out var second));
        var start = sink.Length;
        // Second pair starts 1 s in: time = start + 25 positions/s; 2 rows x 3 columns of merged patches.
        var t = start + (long)model.Thinker.Config.PositionIdPerSeconds;
        Assert.Equal(
            [t, t, t, t, t, t, start, start, start, start + 1, start + 1, start + 1, start, start + 1, start + 2, start, start + 1, start + 2],
            second.Metadata.RotaryPositions.Select(p => (long)p));
        Assert.Equal(t + 1, memory.NextPosition);
    }

    private static KvBlock SyntheticBlock(Qwen25OmniThinker thinker, string session, int sequence, float[][] keys, Random rng)
    {
        var text = thinker.TextConfig;
        var tokens = MemoryStream.TokensPerBlock;
        var layers = text.NumHiddenLayers;
        var payload = new float[layers * 2 * text.NumKeyValueHeads * tokens * text.HeadDim];
        for (var i = 0; i < payload.Length; i++)
        {
            payload[i] = SyntheticBlocks.Gaussian(rng);
        }
        var shapes = Enumerable.Range(0, layers).Select(_ => new[] { 2, text.NumKeyValueHeads, tokens, text.HeadDim }).ToArray();
        var metadata = new KvBlockMetadata(new KvBlockId(session, sequence), TimeSpan.FromSeconds(sequence), TimeSpan.FromSeconds(sequence + 1),
            tokens, "float32", shapes, 3, new int[3 * tokens], keys);
        return new KvBlock(metadata, System.Runtime.InteropServices.MemoryMarshal.AsBytes(payload.AsSpan()).ToArray());
    }
}
