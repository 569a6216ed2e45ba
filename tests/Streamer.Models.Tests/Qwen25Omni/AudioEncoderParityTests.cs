using Streamer.Models.Qwen25Omni;
using Streamer.Models.Tests.Fixtures;
using static TorchSharp.torch;

namespace Streamer.Models.Tests.Qwen25Omni;

[Trait("Category", "Parity")]
public sealed class AudioEncoderParityTests
{
    public static TheoryData<string, string> AudioCases => FixtureData.Case("audio_encoder");

    internal static Qwen25OmniAudioEncoder LoadEncoder(string folder) =>
        FixtureWeights.LoadPart(folder,
            new Qwen25OmniAudioEncoder(Qwen25OmniConfig.Load(FixtureData.RequireFolder(folder)).ThinkerConfig.AudioConfig), "thinker.audio_tower.");

    [Theory]
    [MemberData(nameof(AudioCases))]
    public void Encoder_matches_reference_audio_embeddings(string folder, string caseName)
    {
        using var c = FixtureCase.Open(folder, caseName);
        using var encoder = LoadEncoder(folder);
        using var scope = NewDisposeScope();
        var mask = c.Input("feature_attention_mask");

        var embeddings = encoder.EncodeBatch(c.Input("input_features"), mask);

        var expected = c.Output("audio_embeddings");
        var frames = mask.sum().item<long>();
        Assert.Equal(expected.shape[0], Qwen25OmniAudioEncoder.FeatExtractOutputLengths(frames).Output);
        ThinkerFixture.AssertClose(expected, embeddings, "audio_embeddings");
    }

    [Theory]
    [MemberData(nameof(AudioCases))]
    public void Padded_30_second_features_with_their_mask_give_the_same_embeddings(string folder, string caseName)
    {
        using var c = FixtureCase.Open(folder, caseName);
        using var features = FixtureCase.Open(folder, "audio_feature_extractor");
        using var encoder = LoadEncoder(folder);
        using var scope = NewDisposeScope();

        var embeddings = encoder.EncodeBatch(features.Output("input_features"), features.Output("feature_attention_mask"));

        ThinkerFixture.AssertClose(c.Output("audio_embeddings"), embeddings, "audio_embeddings");
    }

    [Theory]
    [MemberData(nameof(AudioCases))]
    public void Two_audios_encoded_together_equal_each_encoded_alone(string folder, string caseName)
    {
        using var c = FixtureCase.Open(folder, caseName);
        using var encoder = LoadEncoder(folder);
        using var scope = NewDisposeScope();
        var valid = c.Input("input_features")[0];
        var frames = valid.shape[1];
        // A second, shorter audio: the first 45 frames shifted, so its last chunk is partial too.
        var second = valid.narrow(1, 0, 45) * 0.5 + 0.1;

        var both = encoder.forward(cat([valid, second], 1), [frames, 45]);
        var first = encoder.forward(valid, [frames]);
        var alone = encoder.forward(second, [45]);

        Assert.Equal(first.shape[0] + alone.shape[0], both.shape[0]);
        ThinkerFixture.AssertClose(cat([first, alone], 0), both, "batched audio embeddings", 1e-5);
    }
}
