using Streamer.Models.Qwen25Omni;
using Streamer.Models.Tests.Fixtures;
using Streamer.Models.Weights;
using static TorchSharp.torch;

namespace Streamer.Models.Tests.Qwen25Omni;

/// <summary>Loads a fixture folder's thinker and compares tensors within a tolerance.</summary>
internal static class ThinkerFixture
{
    /// <summary>float32 tolerance suggested by the fixtures (observed float32-vs-float64 deviations are ~1e-5).</summary>
    public const double Atol = 1e-4;

    public static Qwen25OmniThinker Load(string folder)
    {
        FixtureData.RequireFolder(folder);
        var config = Qwen25OmniConfig.Load(folder).ThinkerConfig;
        using var ckpt = SafeTensorsCheckpoint.Open(folder);
        return Qwen25OmniThinker.Load(config, ckpt);
    }

    public static void AssertClose(Tensor expected, Tensor actual, string what, double atol = Atol)
    {
        Assert.Equal(expected.shape, actual.shape);
        using var diff = (expected.to_type(ScalarType.Float32) - actual.to_type(ScalarType.Float32).cpu()).abs().max();
        var max = diff.item<float>();
        Assert.True(max <= atol, $"{what}: max |diff| {max:E3} > {atol:E1}");
    }

    public static void AssertEqualLongs(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        var e = expected.to_type(ScalarType.Int64).cpu().data<long>().ToArray();
        var a = actual.to_type(ScalarType.Int64).cpu().data<long>().ToArray();
        var firstBad = Enumerable.Range(0, e.Length).FirstOrDefault(i => e[i] != a[i], -1);
        Assert.True(firstBad < 0, $"{what}: first mismatch at flat index {firstBad}: expected {(firstBad >= 0 ? e[firstBad] : 0)}, got {(firstBad >= 0 ? a[firstBad] : 0)}");
    }
}
