using Streamer.Models.Qwen25Omni;
using Streamer.Models.Tests.Fixtures;
using static TorchSharp.torch;

namespace Streamer.Models.Tests.Qwen25Omni;

[Trait("Category", "Parity")]
public sealed class BigVGANParityTests
{
    public static TheoryData<string, string> BigVGANCases => FixtureData.Case("bigvgan");

    [Theory]
    [MemberData(nameof(BigVGANCases))]
    public void BigVGAN_kaiser_sinc_filters_match_reference_buffers(string folder, string caseName)
    {
        using var c = FixtureCase.Open(folder, caseName);
        using var up = new BigVGANUpSample1d(2, 12);
        using var down = new BigVGANDownSample1d(2, 12);

        ThinkerFixture.AssertClose(c.Output("upsample_filter"), up.Filter.flatten(), "upsample_filter", 1e-7);
        ThinkerFixture.AssertClose(c.Output("downsample_filter"), down.Filter.flatten(), "downsample_filter", 1e-7);
    }

    [Theory]
    [MemberData(nameof(BigVGANCases))]
    public void BigVGAN_waveform_before_clamp_matches_reference(string folder, string caseName)
    {
        using var c = FixtureCase.Open(folder, caseName);
        using var vocoder = Token2WavFixture.LoadBigVGAN(folder);
        using var scope = NewDisposeScope();

        var waveform = vocoder.ForwardUnclamped(c.Input("mel")).squeeze();

        Token2WavFixture.AssertRelativelyClose(c.Output("waveform_before_clamp"), waveform, "waveform_before_clamp");
    }

    [Theory]
    [MemberData(nameof(BigVGANCases))]
    public void BigVGAN_waveform_is_clamped_and_matches_reference(string folder, string caseName)
    {
        using var c = FixtureCase.Open(folder, caseName);
        using var vocoder = Token2WavFixture.LoadBigVGAN(folder);
        using var scope = NewDisposeScope();
        var mel = c.Input("mel");

        var waveform = vocoder.forward(mel);

        Assert.Equal(mel.shape[2] * vocoder.Config.HopLength, waveform.shape[0]);
        Assert.True(waveform.abs().max().item<float>() <= 1f);
        Token2WavFixture.AssertRelativelyClose(c.Output("waveform"), waveform, "waveform");
    }

    [Theory]
    [MemberData(nameof(BigVGANCases))]
    public void BigVGAN_filters_are_not_checkpoint_tensors(string folder, string caseName)
    {
        using var c = FixtureCase.Open(folder, caseName);
        using var vocoder = Token2WavFixture.LoadBigVGAN(folder);

        var persistent = vocoder.named_buffers(include_nonpersistent: false).Select(b => b.name).ToList();

        Assert.Empty(persistent);
        // Computed from the ratio at construction: 12 taps each, low-pass with unit DC gain.
        Assert.Equal([1L, 1, 12], vocoder.activation_post.upsample.Filter.shape);
        Assert.Equal(1.0, vocoder.resblocks[0].activations[5].downsample.Filter.sum().item<float>(), 5);
    }
}
