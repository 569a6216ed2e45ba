using Streamer.Models.Generation;
using Streamer.Models.Qwen25Omni;
using Streamer.Models.Tests.Fixtures;
using static TorchSharp.torch;

namespace Streamer.Models.Tests.Qwen25Omni;

/// <summary>Multimodal prompts run from processor outputs through the thinker's own encoders.</summary>
[Trait("Category", "Parity")]
public sealed class ThinkerEndToEndParityTests
{
    public static TheoryData<string, string> PromptCases => FixtureData.CasesMatching("thinker_", "_prompt");

    public static TheoryData<string, string> GenerateCases => FixtureData.Case("thinker_generate");

    internal static Qwen25OmniThinkerInputs InputsOf(FixtureCase c)
    {
        Tensor? Optional(string name) => c.HasInput(name) ? c.Input(name) : null;
        return new Qwen25OmniThinkerInputs
        {
            InputIds = c.Input("input_ids"),
            AttentionMask = Optional("attention_mask"),
            PixelValues = Optional("pixel_values"),
            ImageGridThw = Optional("image_grid_thw"),
            PixelValuesVideos = Optional("pixel_values_videos"),
            VideoGridThw = Optional("video_grid_thw"),
            VideoSecondPerGrid = Optional("video_second_per_grid"),
            InputFeatures = Optional("input_features"),
            FeatureAttentionMask = Optional("feature_attention_mask"),
            UseAudioInVideo = c.Call.Contains("use_audio_in_video=True", StringComparison.Ordinal),
        };
    }

    [Theory]
    [MemberData(nameof(PromptCases))]
    public void Prompt_embeddings_from_the_encoders_match_reference_inputs_embeds(string folder, string caseName)
    {
        using var c = FixtureCase.Open(folder, caseName);
        using var thinker = ThinkerFixture.Load(folder);
        using var scope = NewDisposeScope();

        var embeds = thinker.EmbedInputs(InputsOf(c));

        ThinkerFixture.AssertClose(c.Output("inputs_embeds"), embeds, "inputs_embeds");
    }

    [Theory]
    [MemberData(nameof(PromptCases))]
    public void Prompt_from_processor_outputs_matches_reference_hidden_state_and_logits(string folder, string caseName)
    {
        using var c = FixtureCase.Open(folder, caseName);
        using var thinker = ThinkerFixture.Load(folder);
        using var scope = NewDisposeScope();
        var last4 = c.Output("logits_last4");

        using var output = thinker.forward(InputsOf(c));

        ThinkerFixture.AssertClose(c.Output("last_hidden_state"), output.LastHiddenState, "last_hidden_state");
        ThinkerFixture.AssertClose(last4, output.Logits.narrow(1, output.Logits.shape[1] - last4.shape[1], last4.shape[1]), "logits_last4");
        if (c.HasOutput("logits"))
        {
            ThinkerFixture.AssertClose(c.Output("logits"), output.Logits, "logits");
        }
    }

    [Theory]
    [MemberData(nameof(GenerateCases))]
    public void Greedy_generation_from_processor_outputs_matches_reference_tokens(string folder, string caseName)
    {
        using var c = FixtureCase.Open(folder, caseName);
        using var thinker = ThinkerFixture.Load(folder);
        using var scope = NewDisposeScope();
        var expectedLogits = c.Output("step_logits");
        var steps = (int)expectedLogits.shape[0];
        var promptLength = c.Input("input_ids").shape[1];
        using var cache = new KvCache(thinker.TextConfig.NumHiddenLayers);
        using var prompt = thinker.PreparePrompt(InputsOf(c));

        using var result = new ThinkerGenerator(thinker).Generate(
            prompt.Prompt, new GenerationOptions { MaxNewTokens = steps, RecordStepLogits = true }, cache);

        var expectedNew = c.Output("sequences")[0].narrow(0, promptLength, steps).data<long>().ToArray();
        Assert.Equal(expectedNew, result.NewTokens[0]);
        ThinkerFixture.AssertClose(expectedLogits, result.StepLogits!.squeeze(1), "step_logits");
    }
}
