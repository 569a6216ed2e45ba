using Streamer.Models.Qwen25Omni;
using Streamer.Models.Tests.Fixtures;
using Streamer.Models.Weights;
using static TorchSharp.torch;

namespace Streamer.Models.Tests.Qwen25Omni;

[Trait("Category", "Parity")]
public sealed class Token2WavSampleParityTests
{
    public static TheoryData<string, string> SampleCases => FixtureData.Case("token2wav_sample");

    public static TheoryData<string, string> EndToEndCases => FixtureData.Case("e2e_generate");

    public static TheoryData<string> Folders => FixtureData.Folders();

    [Theory]
    [MemberData(nameof(SampleCases))]
    public void Token2Wav_time_points_match_reference_sway_schedule(string folder, string caseName)
    {
        using var c = FixtureCase.Open(folder, caseName);
        var expected = c.Output("time_points");

        using var points = Qwen25OmniToken2Wav.TimePoints((int)expected.shape[0], Qwen25OmniToken2Wav.DefaultSwayCoefficient);

        ThinkerFixture.AssertClose(expected, points, "time_points", 1e-7);
    }

    [Theory]
    [MemberData(nameof(SampleCases))]
    public void Token2Wav_sample_with_captured_noise_matches_reference_mel(string folder, string caseName)
    {
        using var c = FixtureCase.Open(folder, caseName);
        using var model = Token2WavFixture.LoadToken2Wav(folder);
        using var scope = NewDisposeScope();

        var mel = model.Sample(c.Input("codes"), c.Input("conditioning"), c.Input("reference_mel"), c.Input("noise"));

        ThinkerFixture.AssertClose(c.Output("mel"), mel, "mel");
    }

    [Theory]
    [MemberData(nameof(SampleCases))]
    public void Token2Wav_waveform_with_captured_noise_matches_reference(string folder, string caseName)
    {
        using var c = FixtureCase.Open(folder, caseName);
        using var model = Token2WavFixture.LoadToken2Wav(folder);
        using var scope = NewDisposeScope();
        var codes = c.Input("codes");

        var waveform = model.forward(codes, c.Input("conditioning"), c.Input("reference_mel"), c.Input("noise"));

        Assert.Equal(codes.shape[1] * model.Repeats * model.Config.BigVGANConfig.HopLength, waveform.shape[0]);
        Token2WavFixture.AssertRelativelyClose(c.Output("waveform"), waveform, "waveform");
    }

    [Theory]
    [MemberData(nameof(EndToEndCases))]
    public void Token2Wav_waveform_of_end_to_end_generation_matches_reference(string folder, string caseName)
    {
        using var c = FixtureCase.Open(folder, caseName);
        using var model = Token2WavFixture.LoadToken2Wav(folder);
        using var scope = NewDisposeScope();

        var waveform = model.forward(c.Output("token2wav_codes"), c.Input("speaker_cond"), c.Input("speaker_ref_mel"), c.Input("noise"));

        Token2WavFixture.AssertRelativelyClose(c.Output("waveform"), waveform, "e2e waveform");
    }

    [Theory]
    [MemberData(nameof(SampleCases))]
    public void Token2Wav_noise_longer_than_needed_uses_its_first_frames(string folder, string caseName)
    {
        using var c = FixtureCase.Open(folder, caseName);
        using var model = Token2WavFixture.LoadToken2Wav(folder);
        using var scope = NewDisposeScope();
        var noise = c.Input("noise");
        // Like the reference's randn([1, 30000, mel]) slice: extra frames after the needed ones change nothing.
        var longer = cat([noise, full(1, 7, noise.shape[2], 3.0f)], 1);

        var mel = model.Sample(c.Input("codes"), c.Input("conditioning"), c.Input("reference_mel"), longer, steps: 3);
        var reference = model.Sample(c.Input("codes"), c.Input("conditioning"), c.Input("reference_mel"), noise, steps: 3);

        ThinkerFixture.AssertClose(reference, mel, "mel from longer noise", 0);
        Assert.Throws<ArgumentException>(() => model.Sample(c.Input("codes"), c.Input("conditioning"), c.Input("reference_mel"), noise.narrow(1, 0, 5)));
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public void Token2Wav_parameter_names_equal_every_checkpoint_key_under_token2wav(string folder)
    {
        using var model = Token2WavFixture.LoadToken2Wav(folder);
        using var ckpt = SafeTensorsCheckpoint.Open(folder);

        var mine = model.named_parameters().Select(p => Qwen25OmniToken2Wav.CheckpointPrefix + p.name).Order(StringComparer.Ordinal).ToList();
        var theirs = ckpt.Keys
            .Where(k => k.StartsWith(Qwen25OmniToken2Wav.CheckpointPrefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).ToList();

        Assert.Contains(theirs, k => k.StartsWith(Qwen25OmniDiT.CheckpointPrefix, StringComparison.Ordinal));
        Assert.Contains(theirs, k => k.StartsWith(Qwen25OmniBigVGAN.CheckpointPrefix, StringComparison.Ordinal));
        Assert.Equal(theirs, mine);
    }
}
