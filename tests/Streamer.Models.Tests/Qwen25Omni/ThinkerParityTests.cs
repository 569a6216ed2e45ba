using Streamer.Models.Generation;
using Streamer.Models.Qwen25Omni;
using Streamer.Models.Tests.Fixtures;
using TorchSharp;
using static TorchSharp.torch;

namespace Streamer.Models.Tests.Qwen25Omni;

[Trait("Category", "Parity")]
public sealed class ThinkerParityTests
{
    public static TheoryData<string, string> TextCases => FixtureData.Case("thinker_text");

    public static TheoryData<string, string> PromptCases => FixtureData.CasesMatching("thinker_", "_prompt");

    public static TheoryData<string, string> GenerateCases => FixtureData.Case("thinker_generate");

    [Theory]
    [MemberData(nameof(TextCases))]
    public void Thinker_text_matches_reference_logits_hidden_state_and_positions(string folder, string caseName)
    {
        using var c = FixtureCase.Open(folder, caseName);
        using var thinker = ThinkerFixture.Load(folder);
        using var scope = NewDisposeScope();
        var ids = c.Input("input_ids");
        var mask = c.Input("attention_mask");

        var (positions, _) = Qwen25OmniRopeIndex.GetRopeIndex(thinker.Config, ids, attentionMask: mask);
        using var output = thinker.forward(ids, null, positions, mask);

        ThinkerFixture.AssertEqualLongs(c.Output("position_ids"), positions, "position_ids");
        ThinkerFixture.AssertClose(c.Output("last_hidden_state"), output.LastHiddenState, "last_hidden_state");
        ThinkerFixture.AssertClose(c.Output("logits"), output.Logits, "logits");
    }

    [Theory]
    [MemberData(nameof(PromptCases))]
    public void Rope_index_matches_reference_positions_and_deltas_exactly(string folder, string caseName)
    {
        using var c = FixtureCase.Open(folder, caseName);
        var config = c.Config.ThinkerConfig;
        using var scope = NewDisposeScope();

        var (positions, deltas) = ComputeRopeIndex(c, config);

        ThinkerFixture.AssertEqualLongs(c.Output("position_ids"), positions, "position_ids");
        ThinkerFixture.AssertEqualLongs(c.Output("rope_deltas"), deltas, "rope_deltas");
    }

    [Theory]
    [MemberData(nameof(PromptCases))]
    public void Multimodal_prompt_matches_reference_hidden_state_and_logits(string folder, string caseName)
    {
        using var c = FixtureCase.Open(folder, caseName);
        using var thinker = ThinkerFixture.Load(folder);
        using var scope = NewDisposeScope();
        var embeds = c.Output("inputs_embeds");
        var positions = c.Output("position_ids");

        using var output = thinker.forward(null, embeds, positions, c.Input("attention_mask"));

        ThinkerFixture.AssertClose(c.Output("last_hidden_state"), output.LastHiddenState, "last_hidden_state");
        var last4 = c.Output("logits_last4");
        ThinkerFixture.AssertClose(last4, output.Logits.narrow(1, output.Logits.shape[1] - last4.shape[1], last4.shape[1]), "logits_last4");
        if (c.HasOutput("logits"))
        {
            ThinkerFixture.AssertClose(c.Output("logits"), output.Logits, "logits");
        }
    }

    [Theory]
    [MemberData(nameof(PromptCases))]
    public void Text_rows_of_prompt_embeddings_come_from_embed_tokens_and_placeholders_take_encoder_rows(string folder, string caseName)
    {
        using var c = FixtureCase.Open(folder, caseName);
        using var thinker = ThinkerFixture.Load(folder);
        using var scope = NewDisposeScope();
        var config = thinker.Config;
        var ids = c.Input("input_ids");
        var expected = c.Output("inputs_embeds");
        long[] placeholders = [config.ImageTokenIndex, config.VideoTokenIndex, config.AudioTokenIndex];

        var embeds = thinker.Embed(ids);
        foreach (var id in placeholders)
        {
            var rows = ids.eq(id);
            if (rows.sum().item<long>() == 0)
            {
                continue;
            }
            // Encoder output rows, in token order, as the vision/audio encoders deliver them.
            var features = expected[rows];
            embeds = Qwen25OmniThinker.ScatterEmbeddings(embeds, ids, id, features);
        }

        var isText = ids.eq(placeholders[0]).logical_or(ids.eq(placeholders[1])).logical_or(ids.eq(placeholders[2])).logical_not();
        Assert.True(isText.sum().item<long>() > 0);
        ThinkerFixture.AssertClose(expected, embeds, "inputs_embeds");
    }

    [Theory]
    [MemberData(nameof(GenerateCases))]
    public void Greedy_generation_matches_reference_tokens_and_step_logits(string folder, string caseName)
    {
        using var c = FixtureCase.Open(folder, caseName);
        // The generate case reuses a prompt case's tensors; its input_ids key names that case.
        var promptCase = c.Inputs["input_ids"].Key.Split('/')[0];
        using var prompt = FixtureCase.Open(folder, promptCase);
        using var thinker = ThinkerFixture.Load(folder);
        using var scope = NewDisposeScope();
        var ids = c.Input("input_ids");
        var (positions, deltas) = ComputeRopeIndex(prompt, thinker.Config);
        var expectedSequences = c.Output("sequences");
        var expectedLogits = c.Output("step_logits");
        var steps = (int)expectedLogits.shape[0];
        using var cache = new KvCache(thinker.TextConfig.NumHiddenLayers);

        using var result = new ThinkerGenerator(thinker).Generate(
            new ThinkerPrompt(null, prompt.Output("inputs_embeds"), positions, deltas, c.Input("attention_mask")),
            new GenerationOptions { MaxNewTokens = steps, RecordStepLogits = true },
            cache);

        var expectedNew = expectedSequences[0].narrow(0, ids.shape[1], steps).data<long>().ToArray();
        Assert.Equal(expectedNew, result.NewTokens[0]);
        ThinkerFixture.AssertClose(expectedLogits, result.StepLogits!.squeeze(1), "step_logits");
        Assert.Equal(ids.shape[1] + steps - 1, cache.Length);
    }

    internal static (Tensor Positions, Tensor Deltas) ComputeRopeIndex(FixtureCase c, Qwen25OmniThinkerConfig config)
    {
        Tensor? Optional(string name) => c.HasInput(name) ? c.Input(name) : null;
        var useAudioInVideo = c.Call.Contains("use_audio_in_video=True", StringComparison.Ordinal);
        var featureMask = Optional("feature_attention_mask");
        return Qwen25OmniRopeIndex.GetRopeIndex(
            config,
            c.Input("input_ids"),
            Optional("image_grid_thw"),
            Optional("video_grid_thw"),
            Optional("attention_mask"),
            useAudioInVideo,
            featureMask?.sum(-1),
            Optional("video_second_per_grid"));
    }
}
