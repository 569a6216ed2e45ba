using Streamer.Models.Processing;
using Streamer.Models.Tests.Fixtures;
using Streamer.Models.Tests.Qwen25Omni;
using Streamer.Models.Weights;
using static TorchSharp.torch;

namespace Streamer.Models.Tests.Processing;

[Trait("Category", "Parity")]
public sealed class WhisperFeatureExtractorParityTests
{
    /// <summary>Log-mel values: float32 STFT and matmul ordering differ slightly from the reference's.</summary>
    private const double FeatureAtol = 1e-4;

    public static TheoryData<string, string> FeatureCases => FixtureData.Case("audio_feature_extractor");

    private static WhisperFeatureExtractor ExtractorFor(FixtureCase c) =>
        new(WhisperFeatureExtractorOptions.For(c.Config.ThinkerConfig.AudioConfig));

    [Theory]
    [MemberData(nameof(FeatureCases))]
    public void Mel_filters_match_reference_slaney_filter_bank(string folder, string caseName)
    {
        using var c = FixtureCase.Open(folder, caseName);
        using var scope = NewDisposeScope();

        var filters = ExtractorFor(c).MelFilters();

        ThinkerFixture.AssertClose(c.Output("mel_filters"), filters, "mel_filters", 1e-6);
    }

    [Theory]
    [MemberData(nameof(FeatureCases))]
    public void Features_of_padded_waveform_match_reference_log_mel_and_mask(string folder, string caseName)
    {
        using var c = FixtureCase.Open(folder, caseName);
        using var scope = NewDisposeScope();
        var waveform = c.Input("waveform").data<float>().ToArray();

        using var features = ExtractorFor(c).Extract(waveform);

        ThinkerFixture.AssertEqualLongs(c.Output("feature_attention_mask"), features.FeatureAttentionMask, "feature_attention_mask");
        ThinkerFixture.AssertClose(c.Output("input_features"), features.InputFeatures, "input_features", FeatureAtol);
        Assert.Equal(c.Output("feature_attention_mask").sum().item<long>(), features.ValidFrames);
    }

    [Theory]
    [MemberData(nameof(FeatureCases))]
    public void Features_of_the_audio_in_video_waveform_match_its_stored_first_frames(string folder, string caseName)
    {
        using var c = FixtureCase.Open(folder, caseName);
        using var tensors = SafeTensorsFile.Open(Path.Combine(folder, FixtureCase.CasesTensors));
        using var scope = NewDisposeScope();
        var waveform = tensors.Load("audio_av/waveform").data<float>().ToArray();
        var expectedFirst = tensors.Load("audio_av/input_features_first_frames");
        var expectedMask = tensors.Load("audio_av/feature_attention_mask_valid");

        using var features = ExtractorFor(c).Extract(waveform);

        Assert.Equal(expectedMask.shape[1], features.ValidFrames);
        ThinkerFixture.AssertClose(expectedFirst, features.InputFeatures.narrow(2, 0, expectedFirst.shape[2]), "input_features_first_frames", FeatureAtol);
    }

    [Fact]
    public void Waveform_longer_than_the_chunk_is_truncated_to_a_full_mask()
    {
        var options = new WhisperFeatureExtractorOptions { FeatureSize = 16, ChunkLength = 1 };
        var extractor = new WhisperFeatureExtractor(options);
        // 1.5 s of a 440 Hz tone at 16 kHz; the chunk holds 1 s.
        var samples = Enumerable.Range(0, 24000).Select(i => (float)Math.Sin(2 * Math.PI * 440 * i / 16000.0)).ToArray();

        using var features = extractor.Extract(samples);

        Assert.Equal([1L, 16, 100], features.InputFeatures.shape);
        Assert.Equal(100, features.ValidFrames);
        Assert.Equal(100, features.FeatureAttentionMask.sum().item<long>());
    }

    [Fact]
    public void Silence_after_the_signal_is_clamped_to_8_below_the_peak()
    {
        var extractor = new WhisperFeatureExtractor(new WhisperFeatureExtractorOptions { FeatureSize = 16, ChunkLength = 1 });
        // 0.25 s of a loud 1 kHz tone, then zeros.
        var samples = Enumerable.Range(0, 4000).Select(i => (float)Math.Sin(2 * Math.PI * 1000 * i / 16000.0)).ToArray();

        using var features = extractor.Extract(samples);

        var values = features.InputFeatures.data<float>().ToArray();
        var max = values.Max();
        var min = values.Min();
        // (log + 4) / 4 scaling: a floor 8 log10 units below the peak is 2 below it in feature units.
        Assert.Equal(max - 2.0, min, 5);
        Assert.Equal(25, features.ValidFrames);
    }
}
