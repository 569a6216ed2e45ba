using Streamer.KvStore;
using Streamer.Models.Generation;
using Streamer.Models.Memory;
using Streamer.Models.Qwen25Omni;
using Streamer.Models.Tests.Fixtures;
using Streamer.Models.Tests.Qwen25Omni;
using static TorchSharp.torch;

namespace Streamer.Models.Tests.Memory;

/// <summary>
/// With a window that holds the whole stream, streaming the frames group by group and
/// answering over sink + retrieved + window must be the same computation as one full-context
/// prefill of the same prompt with the plain thinker: same tokens, same TMRoPE positions.
/// </summary>
[Trait("Category", "Memory")]
public sealed class StreamingMemoryEquivalenceTests
{
    private const int Groups = 4;
    // The streamed and the full-context prompt are made from the same seeds.
    private const int FrameSeed = 10;
    private const int SinkSeed = 11;
    private const int QuestionSeed = 12;

    public static TheoryData<string> Folders => FixtureData.Folders();

    [Theory]
    [MemberData(nameof(Folders))]
    public void Question_logits_over_the_window_equal_a_full_context_prefill(string folder)
    {
        using var model = TinyMemoryModel.Load(folder);
        var thinker = model.Thinker;
        var (fullLogits, fullPrompt) = FullContext(thinker);
        using var _ = fullPrompt;
        using var store = TinyMemoryModel.HostStore();
        using var memory = Stream(model, store);
        var retriever = new ReKVRetriever(memory);

        using var context = retriever.Retrieve(model.Question(seed: QuestionSeed));
        using var output = thinker.forward(context.Prompt.InputIds, null, context.Prompt.PositionIds, null, context.Cache);

        Assert.Empty(context.Retrieved);
        Assert.Equal(Groups, context.Window.Count);
        ThinkerFixture.AssertClose(fullLogits, output.Logits, "question logits over the window");
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public void Question_logits_over_all_blocks_loaded_from_the_store_equal_a_full_context_prefill(string folder)
    {
        using var model = TinyMemoryModel.Load(folder);
        var thinker = model.Thinker;
        var (fullLogits, fullPrompt) = FullContext(thinker);
        using var _ = fullPrompt;
        using var store = TinyMemoryModel.HostStore();
        using var memory = Stream(model, store);
        var retriever = new ReKVRetriever(memory);

        // Without the window every block is a candidate, so the cache is rebuilt from stored bytes.
        using var context = retriever.Retrieve(model.Question(seed: QuestionSeed), new ReKVQuery { IncludeRecentWindow = false });
        using var output = thinker.forward(context.Prompt.InputIds, null, context.Prompt.PositionIds, null, context.Cache);

        Assert.Equal(Enumerable.Range(0, Groups).Select(i => (long)i), context.Retrieved.Select(m => m.Id.Sequence));
        Assert.Empty(context.Window);
        Assert.Empty(context.Missing);
        ThinkerFixture.AssertClose(fullLogits, output.Logits, "question logits over retrieved blocks");
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public void Greedy_answer_equals_greedy_generation_from_the_full_prompt(string folder)
    {
        using var model = TinyMemoryModel.Load(folder);
        var thinker = model.Thinker;
        var (_, fullPrompt) = FullContext(thinker);
        using var owned = fullPrompt;
        var options = new GenerationOptions { MaxNewTokens = 6 };
        long[] expected;
        using (var cache = new KvCache(thinker.TextConfig.NumHiddenLayers))
        using (var full = new ThinkerGenerator(thinker).Generate(owned.Prompt, options, cache))
        {
            expected = full.NewTokens[0];
        }
        using var store = TinyMemoryModel.HostStore();
        using var memory = Stream(model, store);

        using var answer = new ReKVRetriever(memory).Answer(model.Question(seed: QuestionSeed), options, new ReKVQuery { IncludeRecentWindow = false });

        Assert.Equal(expected, answer.NewTokens[0]);
    }

    private static StreamingVideoMemory Stream(TinyMemoryModel model, TieredKvStore store)
    {
        var memory = model.Open(store, "equivalence", sinkSeed: SinkSeed,
            new StreamingMemoryOptions { SamplingFps = MemoryStream.Fps, WindowTokens = 1000 });
        // Frames arrive at 2 fps, exactly the sampling rate, so every frame is sampled.
        var blocks = MemoryStream.Frames(2 * Groups, seed: FrameSeed).SelectMany(memory.AddFrame).ToList();
        Assert.Equal(Groups, blocks.Count);
        Assert.Equal(Groups * MemoryStream.TokensPerBlock, memory.WindowTokens);
        return memory;
    }

    // The same frames as one video in one prompt: logits at the question's positions and the prompt.
    private static (Tensor QuestionLogits, OwnedPrompt Prompt) FullContext(Qwen25OmniThinker thinker)
    {
        var config = thinker.Config;
        var processor = MemoryStream.Processor();
        var frames = MemoryStream.Frames(2 * Groups, seed: FrameSeed);
        var vision = processor.Process(frames.Select(f => f.Image).ToArray(), MemoryStream.Fps);
        var sink = MemoryStream.SinkIds(config, seed: SinkSeed);
        var question = MemoryStream.QuestionIds(config, seed: QuestionSeed);
        long[] ids = [.. sink, .. Enumerable.Repeat(config.VideoTokenIndex, Groups * MemoryStream.TokensPerBlock), .. question];
        var inputs = new Qwen25OmniThinkerInputs
        {
            InputIds = MemoryStream.Row(ids),
            PixelValuesVideos = vision.PixelValues,
            VideoGridThw = vision.GridThw,
            VideoSecondPerGrid = vision.SecondPerGrid,
        };
        using var output = thinker.forward(inputs);
        var logits = output.Logits.narrow(1, ids.Length - question.Length, question.Length).clone();
        return (logits, thinker.PreparePrompt(inputs));
    }
}
