using System.Diagnostics;
using Streamer.Models.Generation;
using Streamer.Models.Qwen25Omni;
using Streamer.Models.Tests.Fixtures;
using Streamer.Models.Tests.Weights;
using Streamer.Models.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace Streamer.Models.Tests.Qwen25Omni;

/// <summary>Properties of the thinker that hold for any weights; run on every fixture variant's model.</summary>
public sealed class ThinkerBehaviourTests
{
    public static TheoryData<string> Folders => FixtureData.Folders();

    private static Tensor PromptIds(Qwen25OmniThinker thinker, int length, int seed)
    {
        var rng = new Random(seed);
        // Plain text ids below the lowest special id of the config.
        var limit = (int)Math.Min(thinker.TextConfig.VocabSize, thinker.Config.AudioTokenIndex);
        return tensor(Enumerable.Range(0, length).Select(_ => (long)rng.Next(0, limit)).ToArray(), [1, length]);
    }

    [Theory]
    [Trait("Category", "Parity")]
    [MemberData(nameof(Folders))]
    public void Parameter_names_equal_every_checkpoint_key_under_thinker(string folder)
    {
        using var thinker = ThinkerFixture.Load(folder);
        using var ckpt = SafeTensorsCheckpoint.Open(folder);

        var mine = thinker.named_parameters().Select(p => Qwen25OmniThinker.CheckpointPrefix + p.name).Order(StringComparer.Ordinal).ToList();
        var theirs = ckpt.Keys
            .Where(k => k.StartsWith(Qwen25OmniThinker.CheckpointPrefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).ToList();

        Assert.Contains(theirs, k => k.StartsWith("thinker.visual.", StringComparison.Ordinal));
        Assert.Contains(theirs, k => k.StartsWith("thinker.audio_tower.", StringComparison.Ordinal));

        Assert.Equal(theirs, mine);
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public void Cached_decoding_matches_full_recompute(string folder)
    {
        using var thinker = ThinkerFixture.Load(folder);
        using var scope = NewDisposeScope();
        var ids = PromptIds(thinker, 9, seed: 7);
        using var cache = new KvCache(thinker.TextConfig.NumHiddenLayers);

        // Prefill 6 tokens, then feed the remaining 3 one at a time.
        var (pos, _) = Qwen25OmniRopeIndex.GetRopeIndex(thinker.Config, ids);
        using var full = thinker.forward(ids, null, pos);
        var stepLogits = new List<Tensor>();
        using (var prefill = thinker.forward(ids.narrow(1, 0, 6), null, pos.narrow(2, 0, 6), null, cache))
        {
            stepLogits.Add(prefill.Logits.narrow(1, 5, 1).clone());
        }
        for (var i = 6; i < 9; i++)
        {
            using var step = thinker.forward(ids.narrow(1, i, 1), null, pos.narrow(2, i, 1), null, cache);
            stepLogits.Add(step.Logits.clone());
        }

        Assert.Equal(9, cache.Length);
        ThinkerFixture.AssertClose(full.Logits.narrow(1, 5, 4), cat(stepLogits, 1), "cached logits");
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public void Left_padded_batch_generates_what_each_sequence_generates_alone(string folder)
    {
        using var thinker = ThinkerFixture.Load(folder);
        using var scope = NewDisposeScope();
        var shortIds = PromptIds(thinker, 5, seed: 1);
        var longIds = PromptIds(thinker, 8, seed: 2);
        var pad = thinker.Config.PadTokenId ?? 0;
        var generator = new ThinkerGenerator(thinker);
        var options = new GenerationOptions { MaxNewTokens = 5, PadTokenId = pad };

        long[] Alone(Tensor ids)
        {
            using var owned = ThinkerPrompt.OwnedText(thinker.Config, ids);
            using var cache = new KvCache(thinker.TextConfig.NumHiddenLayers);
            using var r = generator.Generate(owned.Prompt, options, cache);
            return r.NewTokens[0];
        }

        var batchIds = cat([cat([full(1, 3, pad, ScalarType.Int64), shortIds], 1), longIds], 0);
        var mask = cat([cat([zeros(1, 3, ScalarType.Int64), ones(1, 5, ScalarType.Int64)], 1), ones(1, 8, ScalarType.Int64)], 0);
        using var batchPrompt = ThinkerPrompt.OwnedText(thinker.Config, batchIds, mask);
        using var batchCache = new KvCache(thinker.TextConfig.NumHiddenLayers);
        using var batch = generator.Generate(batchPrompt.Prompt, options, batchCache);

        Assert.Equal(Alone(shortIds), batch.NewTokens[0]);
        Assert.Equal(Alone(longIds), batch.NewTokens[1]);
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public void Stop_token_ends_a_sequence_and_pads_the_rest_of_the_batch_row(string folder)
    {
        using var thinker = ThinkerFixture.Load(folder);
        using var scope = NewDisposeScope();
        var ids = PromptIds(thinker, 6, seed: 3);
        var generator = new ThinkerGenerator(thinker);
        using var owned = ThinkerPrompt.OwnedText(thinker.Config, ids);
        long[] free;
        using (var cache = new KvCache(thinker.TextConfig.NumHiddenLayers))
        using (var r = generator.Generate(owned.Prompt, new GenerationOptions { MaxNewTokens = 6 }, cache))
        {
            free = r.NewTokens[0];
        }

        using var cache2 = new KvCache(thinker.TextConfig.NumHiddenLayers);
        using var stopped = generator.Generate(owned.Prompt, new GenerationOptions { MaxNewTokens = 6, StopTokenIds = [free[2]] }, cache2);

        var firstStop = Array.IndexOf(free, free[2]);
        Assert.Equal(free[..(firstStop + 1)], stopped.NewTokens[0]);
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public void Sampling_is_reproducible_for_a_seed_and_greedy_at_top_k_one(string folder)
    {
        using var thinker = ThinkerFixture.Load(folder);
        using var scope = NewDisposeScope();
        var ids = PromptIds(thinker, 6, seed: 4);
        var generator = new ThinkerGenerator(thinker);
        using var owned = ThinkerPrompt.OwnedText(thinker.Config, ids);

        long[] Run(GenerationOptions o)
        {
            using var cache = new KvCache(thinker.TextConfig.NumHiddenLayers);
            using var r = generator.Generate(owned.Prompt, o, cache);
            return r.NewTokens[0];
        }

        var sampling = new GenerationOptions { MaxNewTokens = 12, DoSample = true, Temperature = 1.5, TopP = 0.95, Seed = 42 };
        var a = Run(sampling);
        var b = Run(sampling);
        var other = Run(sampling with { Seed = 43 });
        var greedy = Run(new GenerationOptions { MaxNewTokens = 12 });
        var topK1 = Run(sampling with { TopK = 1 });

        Assert.Equal(a, b);
        Assert.NotEqual(a, other);
        Assert.Equal(greedy, topK1);
    }

    [Fact]
    public void Top_p_keeps_only_the_smallest_set_reaching_the_mass()
    {
        using var scope = NewDisposeScope();
        // probabilities 0.5, 0.3, 0.15, 0.05 -> top_p 0.7 keeps {0, 1}
        var logits = tensor(new[] { 0.5f, 0.3f, 0.15f, 0.05f }).log().unsqueeze(0);
        using var generator = new Generator(5, CPU);
        var seen = new HashSet<long>();
        for (var i = 0; i < 200; i++)
        {
            seen.Add(ThinkerGenerator.Sample(logits, new GenerationOptions { DoSample = true, TopP = 0.7 }, generator).item<long>());
        }

        Assert.Equal([0L, 1L], seen.Order());
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public void Streaming_yields_the_same_tokens_as_generate(string folder)
    {
        using var thinker = ThinkerFixture.Load(folder);
        using var scope = NewDisposeScope();
        var ids = PromptIds(thinker, 7, seed: 5);
        var generator = new ThinkerGenerator(thinker);
        using var owned = ThinkerPrompt.OwnedText(thinker.Config, ids);
        var options = new GenerationOptions { MaxNewTokens = 6 };
        long[] expected;
        using (var cache = new KvCache(thinker.TextConfig.NumHiddenLayers))
        using (var r = generator.Generate(owned.Prompt, options, cache))
        {
            expected = r.NewTokens[0];
        }

        var streamed = new List<long>();
        using var cache2 = new KvCache(thinker.TextConfig.NumHiddenLayers);
        // Consumed on this thread: a dispose scope must never stay open across an await.
        foreach (var token in generator.StreamAsync(owned.Prompt, options, cache2).ToBlockingEnumerable())
        {
            streamed.Add(token);
        }

        Assert.Equal(expected, streamed);
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public void Fifty_generations_leave_live_tensors_and_memory_flat(string folder)
    {
        using var thinker = ThinkerFixture.Load(folder);
        var ids = PromptIds(thinker, 8, seed: 6);
        var generator = new ThinkerGenerator(thinker);
        using var owned = ThinkerPrompt.OwnedText(thinker.Config, ids);
        var options = new GenerationOptions { MaxNewTokens = 4, RecordStepLogits = true };

        void RunOnce()
        {
            using var cache = new KvCache(thinker.TextConfig.NumHiddenLayers);
            using var r = generator.Generate(owned.Prompt, options, cache);
        }

        RunOnce();
        var stats = DisposeScopeManager.Statistics;
        var liveBefore = stats.ThreadTotalLiveCount;
        var rssBefore = Process.GetCurrentProcess().WorkingSet64;
        for (var i = 0; i < 50; i++)
        {
            RunOnce();
        }
        var liveAfter = stats.ThreadTotalLiveCount;
        var rssAfter = Process.GetCurrentProcess().WorkingSet64;

        Assert.Equal(liveBefore, liveAfter);
        Assert.True(rssAfter - rssBefore < 64L * 1024 * 1024, $"RSS grew by {(rssAfter - rssBefore) / 1024} KiB");

        // The counter does see a leaked tensor, so the equality above is meaningful.
        using var leak = zeros(1);
        Assert.Equal(liveAfter + 1, stats.ThreadTotalLiveCount);
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public void Loading_a_checkpoint_with_a_mis_shaped_thinker_tensor_names_it(string folder)
    {
        FixtureData.RequireFolder(folder);
        var config = Qwen25OmniConfig.Load(folder).ThinkerConfig;
        var dir = SafeTensorsWriter.TempFolder();
        try
        {
            // Copy the thinker tensors, shrinking one.
            using (var source = SafeTensorsCheckpoint.Open(folder))
            {
                var entries = new List<SafeTensorsWriter.Entry>();
                foreach (var info in source.Tensors.Where(t => t.Name.StartsWith("thinker.", StringComparison.Ordinal)))
                {
                    using var t = source.Load(info.Name, ScalarType.Float32);
                    var shape = info.Shape;
                    var data = t.bytes.ToArray();
                    if (info.Name == "thinker.model.norm.weight")
                    {
                        shape = [shape[0] - 1];
                        data = data[..^4];
                    }
                    entries.Add(new(info.Name, "F32", shape, data));
                }
                SafeTensorsWriter.Write(Path.Combine(dir, SafeTensorsCheckpoint.SingleFileName), entries);
            }
            using var ckpt = SafeTensorsCheckpoint.Open(dir);

            var e = Assert.Throws<CheckpointException>(() => Qwen25OmniThinker.Load(config, ckpt).Dispose());

            Assert.Contains("'thinker.model.norm.weight'", e.Message, StringComparison.Ordinal);
            Assert.Contains(SafeTensorsCheckpoint.SingleFileName, e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public void Loading_a_checkpoint_without_a_layer_tensor_names_it(string folder)
    {
        FixtureData.RequireFolder(folder);
        var config = Qwen25OmniConfig.Load(folder).ThinkerConfig;
        var dir = SafeTensorsWriter.TempFolder();
        const string dropped = "thinker.model.layers.0.self_attn.q_proj.bias";
        try
        {
            using (var source = SafeTensorsCheckpoint.Open(folder))
            {
                var entries = new List<SafeTensorsWriter.Entry>();
                foreach (var info in source.Tensors.Where(t => t.Name.StartsWith("thinker.", StringComparison.Ordinal) && t.Name != dropped))
                {
                    using var t = source.Load(info.Name, ScalarType.Float32);
                    entries.Add(new(info.Name, "F32", info.Shape, t.bytes.ToArray()));
                }
                SafeTensorsWriter.Write(Path.Combine(dir, SafeTensorsCheckpoint.SingleFileName), entries);
            }
            using var ckpt = SafeTensorsCheckpoint.Open(dir);

            var e = Assert.Throws<CheckpointException>(() => Qwen25OmniThinker.Load(config, ckpt).Dispose());

            Assert.Contains($"'{dropped}'", e.Message, StringComparison.Ordinal);
            Assert.Contains("missing", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
