using Streamer.Models.Processing;
using Streamer.Models.Qwen25Omni;
using Streamer.Models.Tests.Fixtures;
using Streamer.Models.Tests.Qwen25Omni;
using Streamer.Models.Weights;
using static TorchSharp.torch;

namespace Streamer.Models.Tests.Processing;

/// <summary>Raw pixels and PCM through the processors and the thinker, checked against the reference prompt.</summary>
[Trait("Category", "Parity")]
public sealed class ProcessorPipelineParityTests
{
    public static TheoryData<string, string> ImageAudioCases => FixtureData.Case("thinker_image_audio_prompt");

    [Theory]
    [MemberData(nameof(ImageAudioCases))]
    public void Image_and_waveform_through_processors_and_thinker_match_reference_prompt(string folder, string caseName)
    {
        using var c = FixtureCase.Open(folder, caseName);
        using var tensors = SafeTensorsFile.Open(Path.Combine(folder, FixtureCase.CasesTensors));
        using var thinker = ThinkerFixture.Load(folder);
        using var scope = NewDisposeScope();
        var image = Qwen2VLProcessorParityTests.ImageOf(tensors.Load("image_processor/image_uint8_hwc"));
        var waveform = tensors.Load("audio/waveform").data<float>().ToArray();
        // The prompt's image is the *_a budget of the image processor case.
        var imageProcessor = new Qwen2VLImageProcessor(new Qwen2VLImageProcessorOptions { MinPixels = 3136, MaxPixels = 20000 });
        var extractor = new WhisperFeatureExtractor(WhisperFeatureExtractorOptions.For(thinker.Config.AudioConfig));

        using var vision = imageProcessor.Process(image);
        using var audio = extractor.Extract(waveform);
        var inputs = new Qwen25OmniThinkerInputs
        {
            InputIds = c.Input("input_ids"),
            AttentionMask = c.Input("attention_mask"),
            PixelValues = vision.PixelValues,
            ImageGridThw = vision.GridThw,
            InputFeatures = audio.InputFeatures,
            FeatureAttentionMask = audio.FeatureAttentionMask,
        };
        var (positions, deltas) = thinker.RopeIndex(inputs);
        using var output = thinker.forward(inputs, logitsToKeep: (int)c.Output("logits_last4").shape[1]);

        ThinkerFixture.AssertEqualLongs(c.Output("position_ids"), positions, "position_ids");
        ThinkerFixture.AssertEqualLongs(c.Output("rope_deltas"), deltas, "rope_deltas");
        ThinkerFixture.AssertClose(c.Output("inputs_embeds"), thinker.EmbedInputs(inputs), "inputs_embeds");
        ThinkerFixture.AssertClose(c.Output("last_hidden_state"), output.LastHiddenState, "last_hidden_state");
        ThinkerFixture.AssertClose(c.Output("logits_last4"), output.Logits, "logits_last4");
    }
}
