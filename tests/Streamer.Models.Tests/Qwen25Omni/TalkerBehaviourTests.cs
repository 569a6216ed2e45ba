using Streamer.Models.Generation;
using Streamer.Models.Qwen25Omni;
using Streamer.Models.Tests.Fixtures;
using Streamer.Models.Tests.Weights;
using Streamer.Models.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace Streamer.Models.Tests.Qwen25Omni;

/// <summary>Properties of the talker that hold for any weights; run on every fixture variant's talker case.</summary>
public sealed class TalkerBehaviourTests
{
    public static TheoryData<string, string> TalkerCases => FixtureData.Case("talker");

    public static TheoryData<string> Folders => FixtureData.Folders();

    private static TalkerGenerationOptions Greedy(int steps) =>
        new() { MaxNewTokens = steps, RepetitionPenalty = 1.05, RecordStepLogits = true };

    private static TalkerGenerationResult Run(Qwen25OmniTalker talker, TalkerPrompt prompt, TalkerGenerationOptions options)
    {
        using var cache = new KvCache(talker.Config.NumHiddenLayers);
        return new TalkerGenerator(talker).Generate(prompt, options, cache);
    }

    [Theory]
    [MemberData(nameof(TalkerCases))]
    public void Talker_cached_decoding_matches_a_full_recompute_of_the_fed_rows(string folder, string caseName)
    {
        using var c = FixtureCase.Open(folder, caseName);
        using var talker = TalkerFixture.Load(folder);
        using var scope = NewDisposeScope();
        var prompt = TalkerFixture.Prompt(c);
        const int steps = 6;
        using var result = Run(talker, prompt, Greedy(steps) with { StopCodes = [] });
        Assert.Equal(steps, result.Codes.Length);

        // Rebuild every row the generator fed (prompt with codec prefix, then code k-1 + reply row k-1)
        // and run them in one uncached forward with the same positions.
        var (positions, deltas) = talker.GetRopeIndex(prompt);
        var reply = prompt.ThinkerReplyPart;
        var rows = new List<Tensor> { talker.AddCodecPrefix(prompt.InputsEmbeds) };
        var pos = new List<Tensor> { positions };
        var length = prompt.Length;
        for (var k = 1; k < steps; k++)
        {
            var replyRow = reply.narrow(1, Math.Min(k - 1, reply.shape[1] - 1), 1);
            rows.Add(talker.Embed(tensor(new[] { result.Codes[k - 1] }, [1, 1])) + replyRow);
            pos.Add(Qwen25OmniRopeIndex.DecodePositions(deltas, length + k - 1, 1));
        }
        var full = talker.forward(cat(rows, 1), cat(pos, 2));

        var recomputed = full[0].narrow(0, length - 1, steps);
        ThinkerFixture.AssertClose(recomputed, result.StepLogits!, "cached vs recomputed step logits");
    }

    [Theory]
    [MemberData(nameof(TalkerCases))]
    public void Talker_stop_code_ends_the_reply_without_being_emitted(string folder, string caseName)
    {
        using var c = FixtureCase.Open(folder, caseName);
        using var talker = TalkerFixture.Load(folder);
        using var scope = NewDisposeScope();
        var prompt = TalkerFixture.Prompt(c);
        using var free = Run(talker, prompt, Greedy(6) with { StopCodes = [] });
        // Stop at the first code that was not already produced before it.
        var at = Enumerable.Range(1, free.Codes.Length - 1).First(i => !free.Codes.AsSpan(0, i).Contains(free.Codes[i]));

        using var stopped = Run(talker, prompt, Greedy(6) with { StopCodes = [free.Codes[at]] });

        Assert.Equal(free.Codes[..at], stopped.Codes);
        Assert.Equal(free.Codes[at], stopped.StopCode);
        Assert.Equal(at + 1, stopped.StepLogits!.shape[0]);
    }

    [Theory]
    [MemberData(nameof(TalkerCases))]
    public void Talker_min_new_tokens_keeps_stop_codes_out_and_suppressed_codes_never_appear(string folder, string caseName)
    {
        using var c = FixtureCase.Open(folder, caseName);
        using var talker = TalkerFixture.Load(folder);
        using var scope = NewDisposeScope();
        var prompt = TalkerFixture.Prompt(c);
        using var free = Run(talker, prompt, Greedy(3) with { StopCodes = [] });
        var first = free.Codes[0];

        using var held = Run(talker, prompt, Greedy(3) with { StopCodes = [first], MinNewTokens = 3 });
        using var suppressed = Run(talker, prompt, Greedy(3) with { StopCodes = [], SuppressCodes = [first] });

        // The stop code would win step 0, so holding it back for 3 codes changes step 0 and runs to the limit.
        Assert.Equal(3, held.Codes.Length);
        Assert.NotEqual(first, held.Codes[0]);
        Assert.Null(held.StopCode);
        Assert.DoesNotContain(first, suppressed.Codes);
        // Raw step logits are recorded before any processor: step 0 is the same in all three runs.
        ThinkerFixture.AssertClose(free.StepLogits![0], held.StepLogits![0], "raw step 0", atol: 0);
    }

    [Theory]
    [MemberData(nameof(TalkerCases))]
    public void Talker_default_options_suppress_codec_bos_and_stop_on_codec_pad_or_end(string folder, string caseName)
    {
        using var c = FixtureCase.Open(folder, caseName);
        using var talker = TalkerFixture.Load(folder);
        using var scope = NewDisposeScope();
        var config = talker.Config;

        using var result = Run(talker, TalkerFixture.Prompt(c), Greedy(8));

        Assert.DoesNotContain(config.TtsCodecStartTokenId, result.Codes);
        Assert.DoesNotContain(config.TtsCodecPadTokenId, result.Codes);
        Assert.DoesNotContain(config.TtsCodecEndTokenId, result.Codes);
        Assert.True(result.StopCode is null || result.StopCode == config.TtsCodecPadTokenId || result.StopCode == config.TtsCodecEndTokenId);
    }

    [Theory]
    [MemberData(nameof(TalkerCases))]
    public void Talker_stream_stops_when_cancelled(string folder, string caseName)
    {
        using var c = FixtureCase.Open(folder, caseName);
        using var talker = TalkerFixture.Load(folder);
        using var scope = NewDisposeScope();
        using var cache = new KvCache(talker.Config.NumHiddenLayers);
        using var cts = new CancellationTokenSource();
        var received = 0;

        Assert.ThrowsAny<OperationCanceledException>(() =>
        {
            foreach (var _ in new TalkerGenerator(talker).StreamAsync(TalkerFixture.Prompt(c), Greedy(50) with { StopCodes = [] }, cache, cts.Token).ToBlockingEnumerable())
            {
                if (++received == 2)
                {
                    cts.Cancel();
                }
            }
        });
        Assert.Equal(2, received);
    }

    [Theory]
    [MemberData(nameof(TalkerCases))]
    public void Talker_rejects_codec_ids_outside_the_vocabulary(string folder, string caseName)
    {
        using var c = FixtureCase.Open(folder, caseName);
        using var talker = TalkerFixture.Load(folder);
        using var scope = NewDisposeScope();
        var vocab = talker.Config.VocabSize;
        using var cache = new KvCache(talker.Config.NumHiddenLayers);
        var generator = new TalkerGenerator(talker);

        Assert.Throws<ArgumentOutOfRangeException>(() => talker.Embed(tensor(new long[] { 0, vocab }, [1, 2])));
        Assert.Throws<ArgumentOutOfRangeException>(() => talker.Embed(tensor(new long[] { -1 }, [1, 1])));
        Assert.Throws<ArgumentOutOfRangeException>(() => generator.Generate(TalkerFixture.Prompt(c), Greedy(2) with { StopCodes = [vocab] }, cache));
        Assert.Throws<ArgumentOutOfRangeException>(() => generator.Generate(TalkerFixture.Prompt(c), Greedy(2) with { SuppressCodes = [-1] }, cache));
        Assert.Equal(0, cache.Length);
    }

    [Theory]
    [MemberData(nameof(TalkerCases))]
    public void Talker_generation_needs_an_empty_cache_and_a_reply_part(string folder, string caseName)
    {
        using var c = FixtureCase.Open(folder, caseName);
        using var talker = TalkerFixture.Load(folder);
        using var scope = NewDisposeScope();
        var prompt = TalkerFixture.Prompt(c);
        var generator = new TalkerGenerator(talker);
        using var cache = new KvCache(talker.Config.NumHiddenLayers);
        using (generator.Generate(prompt, Greedy(1), cache))
        {
        }

        Assert.Throws<ArgumentException>(() => generator.Generate(prompt, Greedy(1), cache));
        using var empty = new KvCache(talker.Config.NumHiddenLayers);
        var noReply = prompt with { ThinkerReplyPart = prompt.ThinkerReplyPart.narrow(1, 0, 0) };
        Assert.Throws<ArgumentException>(() => generator.Generate(noReply, Greedy(1), empty));
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public void Talker_load_names_the_missing_tensor_and_rejects_a_wrong_shape(string folder)
    {
        var config = TalkerFixture.Config(folder);
        var dir = SafeTensorsWriter.TempFolder();
        try
        {
            using var source = SafeTensorsCheckpoint.Open(folder);
            var talkerKeys = source.Keys.Where(k => k.StartsWith(Qwen25OmniTalker.CheckpointPrefix, StringComparison.Ordinal)).ToList();
            const string dropped = "talker.model.layers.0.self_attn.k_proj.bias";
            Assert.Contains(dropped, talkerKeys);

            SafeTensorsWriter.Write(Path.Combine(dir, SafeTensorsCheckpoint.SingleFileName),
                talkerKeys.Where(k => k != dropped).Select(k => Entry(source, k)));
            using (var missing = SafeTensorsCheckpoint.Open(dir))
            {
                var e = Assert.Throws<CheckpointException>(() => Qwen25OmniTalker.Load(config, missing));
                Assert.Contains(dropped, e.Message, StringComparison.Ordinal);
            }

            // codec_head with one row too few: a checkpoint for a smaller codec vocabulary.
            const string head = "talker.codec_head.weight";
            SafeTensorsWriter.Write(Path.Combine(dir, SafeTensorsCheckpoint.SingleFileName),
                talkerKeys.Select(k => k == head ? Entry(source, k, dropRows: 1) : Entry(source, k)));
            using var shrunk = SafeTensorsCheckpoint.Open(dir);
            var shape = Assert.Throws<CheckpointException>(() => Qwen25OmniTalker.Load(config, shrunk));
            Assert.Contains(head, shape.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static SafeTensorsWriter.Entry Entry(SafeTensorsCheckpoint source, string key, int dropRows = 0)
    {
        using var t = source.Load(key, ScalarType.Float32);
        using var kept = dropRows > 0 ? t.narrow(0, 0, t.shape[0] - dropRows).contiguous() : t.contiguous();
        return new SafeTensorsWriter.Entry(key, "F32", kept.shape, SafeTensorsWriter.Floats(kept.data<float>().ToArray()));
    }
}
