using Streamer.Models.Qwen25Omni;
using Streamer.Models.Tests.Fixtures;
using Streamer.Models.Weights;
using static TorchSharp.torch;

namespace Streamer.Models.Tests.Qwen25Omni;

/// <summary>Loads a fixture folder's token2wav parts and compares waveforms within a relative tolerance.</summary>
internal static class Token2WavFixture
{
    /// <summary>The fixtures' suggested tolerance for waveforms, relative to the peak amplitude.</summary>
    public const double WaveformRelative = 1e-4;

    public static Qwen25OmniToken2WavConfig Config(string folder) =>
        Qwen25OmniToken2WavConfig.Load(FixtureData.RequireFolder(folder));

    public static Qwen25OmniBigVGAN LoadBigVGAN(string folder) =>
        FixtureWeights.LoadPart(folder, new Qwen25OmniBigVGAN(Config(folder).BigVGANConfig), Qwen25OmniBigVGAN.CheckpointPrefix);

    public static Qwen25OmniDiT LoadDiT(string folder) =>
        FixtureWeights.LoadPart(folder, new Qwen25OmniDiT(Config(folder).DitConfig), Qwen25OmniDiT.CheckpointPrefix);

    public static Qwen25OmniToken2Wav LoadToken2Wav(string folder)
    {
        var config = Config(folder);
        using var ckpt = SafeTensorsCheckpoint.Open(folder);
        return Qwen25OmniToken2Wav.Load(config, ckpt);
    }

    /// <summary>max |expected - actual| must stay within <paramref name="relative"/> times max |expected|.</summary>
    public static void AssertRelativelyClose(Tensor expected, Tensor actual, string what, double relative = WaveformRelative)
    {
        Assert.Equal(expected.shape, actual.shape);
        using var scope = NewDisposeScope();
        var e = expected.to_type(ScalarType.Float32);
        var peak = e.abs().max().item<float>();
        var max = (e - actual.to_type(ScalarType.Float32).cpu()).abs().max().item<float>();
        Assert.True(peak > 0, $"{what}: the reference is all zeros");
        Assert.True(max <= relative * peak, $"{what}: max |diff| {max:E3} > {relative:E1} x peak {peak:E3}");
    }
}
