using System.Text.RegularExpressions;
using Streamer.Models.Generation;
using Streamer.Models.Qwen25Omni;
using Streamer.Models.Tests.Fixtures;
using Streamer.Models.Weights;
using static TorchSharp.torch;

namespace Streamer.Models.Tests.Qwen25Omni;

[Trait("Category", "Parity")]
public sealed partial class TalkerParityTests
{
    public static TheoryData<string, string> TalkerCases => FixtureData.Case("talker");

    public static TheoryData<string> Folders => FixtureData.Folders();

    [Theory]
    [MemberData(nameof(TalkerCases))]
    public void Talker_prefill_positions_match_reference_exactly(string folder, string caseName)
    {
        using var c = FixtureCase.Open(folder, caseName);
        using var talker = TalkerFixture.Load(folder);
        using var scope = NewDisposeScope();

        var (positions, _) = talker.GetRopeIndex(TalkerFixture.Prompt(c));

        ThinkerFixture.AssertEqualLongs(c.Output("prefill_position_ids"), positions, "prefill_position_ids");
    }

    [Theory]
    [MemberData(nameof(TalkerCases))]
    public void Talker_prefill_logits_match_reference(string folder, string caseName)
    {
        using var c = FixtureCase.Open(folder, caseName);
        using var talker = TalkerFixture.Load(folder);
        using var scope = NewDisposeScope();
        var prompt = TalkerFixture.Prompt(c);
        var before = prompt.InputsEmbeds.clone();

        using var output = talker.Prefill(prompt);

        ThinkerFixture.AssertClose(c.Output("prefill_logits"), output.Logits, "prefill_logits");
        ThinkerFixture.AssertEqualLongs(c.Output("prefill_position_ids"), output.PositionIds, "prefill_position_ids");
        // The codec pad/bos rows are added to a copy: the caller's embeddings stay as they were.
        Assert.True(before.equal(prompt.InputsEmbeds).all().item<bool>());
    }

    [Theory]
    [MemberData(nameof(TalkerCases))]
    public void Talker_prefill_without_codec_prefix_differs_from_reference_in_the_last_two_rows_only(string folder, string caseName)
    {
        using var c = FixtureCase.Open(folder, caseName);
        using var talker = TalkerFixture.Load(folder);
        using var scope = NewDisposeScope();
        var prompt = TalkerFixture.Prompt(c);
        var (positions, _) = talker.GetRopeIndex(prompt);
        var expected = c.Output("prefill_logits");
        var length = expected.shape[1];

        // Without the codec pad/bos additions the prompt rows (causal, before them) still match and the last two do not.
        var logits = talker.forward(prompt.InputsEmbeds, positions, prompt.AttentionMask);

        ThinkerFixture.AssertClose(expected.narrow(1, 0, length - 2), logits.narrow(1, 0, length - 2), "prompt rows");
        var tailDiff = (expected.narrow(1, length - 2, 2) - logits.narrow(1, length - 2, 2)).abs().max().item<float>();
        Assert.True(tailDiff > 1e-2, $"last two rows should change with the codec prefix, max |diff| {tailDiff:E3}");
    }

    [Theory]
    [MemberData(nameof(TalkerCases))]
    public void Talker_greedy_codes_and_raw_step_logits_match_reference(string folder, string caseName)
    {
        using var c = FixtureCase.Open(folder, caseName);
        using var talker = TalkerFixture.Load(folder);
        using var scope = NewDisposeScope();
        var expectedCodes = c.Output("codes")[0].data<long>().ToArray();
        var expectedLogits = c.Output("step_logits");
        var call = ParseGenerateCall(c.Call);
        using var cache = new KvCache(talker.Config.NumHiddenLayers);

        using var result = new TalkerGenerator(talker).Generate(
            TalkerFixture.Prompt(c),
            new TalkerGenerationOptions
            {
                MaxNewTokens = call.MaxNewTokens,
                MinNewTokens = call.MinNewTokens,
                RepetitionPenalty = call.RepetitionPenalty,
                RecordStepLogits = true,
            },
            cache);

        Assert.Equal(expectedCodes, result.Codes);
        Assert.Null(result.StopCode);
        ThinkerFixture.AssertClose(expectedLogits, result.StepLogits!, "step_logits");
        // The prompt plus every fed-back code except the last one is cached.
        Assert.Equal(c.Input("inputs_embeds").shape[1] + expectedCodes.Length - 1, cache.Length);
    }

    [Theory]
    [MemberData(nameof(TalkerCases))]
    public void Talker_streamed_codes_equal_generated_codes(string folder, string caseName)
    {
        using var c = FixtureCase.Open(folder, caseName);
        using var talker = TalkerFixture.Load(folder);
        using var scope = NewDisposeScope();
        var expectedCodes = c.Output("codes")[0].data<long>().ToArray();
        var call = ParseGenerateCall(c.Call);
        using var cache = new KvCache(talker.Config.NumHiddenLayers);
        var options = new TalkerGenerationOptions
        {
            MaxNewTokens = call.MaxNewTokens,
            MinNewTokens = call.MinNewTokens,
            RepetitionPenalty = call.RepetitionPenalty,
        };

        var streamed = new List<long>();
        foreach (var code in new TalkerGenerator(talker).StreamAsync(TalkerFixture.Prompt(c), options, cache).ToBlockingEnumerable())
        {
            streamed.Add(code);
        }

        Assert.Equal(expectedCodes, streamed);
    }

    [Theory]
    [MemberData(nameof(TalkerCases))]
    public void Talker_codec_prefix_equals_reference_talker_input_ids(string folder, string caseName)
    {
        using var c = FixtureCase.Open(folder, caseName);
        var config = TalkerFixture.Config(folder);
        using var scope = NewDisposeScope();
        var expected = c.Input("talker_input_ids")[0].data<long>().ToArray();

        Assert.Equal(expected, TalkerPrompt.CodecPrefix(config, expected.Length));
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public void Talker_parameter_names_equal_the_checkpoint_talker_keys(string folder)
    {
        using var talker = TalkerFixture.Load(folder);
        using var ckpt = SafeTensorsCheckpoint.Open(folder);

        var expected = ckpt.Keys.Where(k => k.StartsWith(Qwen25OmniTalker.CheckpointPrefix, StringComparison.Ordinal))
            .Select(k => k[Qwen25OmniTalker.CheckpointPrefix.Length..]).Order(StringComparer.Ordinal).ToList();
        var actual = talker.named_parameters().Select(p => p.name)
            .Concat(talker.named_buffers(include_nonpersistent: false).Select(b => b.name))
            .Order(StringComparer.Ordinal).ToList();

        Assert.NotEmpty(expected);
        Assert.Equal(expected, actual);
        Assert.Contains("thinker_to_talker_proj.bias", actual);
        Assert.Contains("codec_head.weight", actual);
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public void Talker_embeddings_are_embedding_size_wide_and_attention_uses_the_configured_head_dim(string folder)
    {
        using var talker = TalkerFixture.Load(folder);
        var config = talker.Config;

        Assert.Equal([config.VocabSize, config.EmbeddingSize], talker.model.embed_tokens.weight!.shape);
        Assert.Equal([config.NumAttentionHeads * config.HeadDim, config.HiddenSize], talker.model.layers[0].self_attn.q_proj.weight!.shape);
        Assert.Equal([config.HiddenSize, config.EmbeddingSize], talker.thinker_to_talker_proj.weight!.shape);
    }

    /// <summary>The generation settings of the reference call: max/min new tokens and the repetition penalty.</summary>
    private static (int MaxNewTokens, int MinNewTokens, double RepetitionPenalty) ParseGenerateCall(string call)
    {
        static string Value(string call, string name)
        {
            var m = Regex.Match(call, name + @"=([0-9.]+)");
            Assert.True(m.Success, $"the case's call has no {name}");
            return m.Groups[1].Value;
        }
        return (int.Parse(Value(call, "max_new_tokens"), System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(Value(call, "min_new_tokens"), System.Globalization.CultureInfo.InvariantCulture),
            double.Parse(Value(call, "repetition_penalty"), System.Globalization.CultureInfo.InvariantCulture));
    }
}
