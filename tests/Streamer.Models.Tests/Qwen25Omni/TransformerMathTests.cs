using Streamer.Models.Qwen25Omni;
using TorchSharp;
using static TorchSharp.torch;

namespace Streamer.Models.Tests.Qwen25Omni;

public sealed class TransformerMathTests
{
    [Fact]
    public void RotateHalf_negates_the_second_half_and_swaps_halves()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 1f, 2, 3, 4 });

        Assert.Equal([-3f, -4, 1, 2], TransformerMath.RotateHalf(x).data<float>().ToArray());
    }

    [Fact]
    public void RepeatKv_equals_repeat_interleave_over_heads()
    {
        using var scope = NewDisposeScope();
        var gen = new Generator(11, CPU);
        var kv = randn([2, 3, 4, 5], generator: gen);

        var repeated = TransformerMath.RepeatKv(kv, 2);

        Assert.Equal([2L, 6, 4, 5], repeated.shape);
        Assert.True(repeated.allclose(kv.repeat_interleave(2, 1), rtol: 0, atol: 0));
    }

    [Fact]
    public void Multimodal_sections_take_axis_i_mod_3_per_doubled_chunk()
    {
        using var scope = NewDisposeScope();
        // cos rows filled with their axis number: [3, B=1, L=1, D=8], sections [1, 1, 2] -> doubled [1, 1, 2, 1, 1, 2]
        var cos = arange(3, ScalarType.Float32).view(3, 1, 1, 1).expand(3, 1, 1, 8).contiguous();

        var picked = TransformerMath.SelectMultimodalSections(cos, [1, 1, 2]);

        Assert.Equal([1L, 1, 1, 8], picked.shape);
        Assert.Equal([0f, 1, 2, 2, 0, 1, 2, 2], picked.flatten().data<float>().ToArray());
    }

    [Fact]
    public void Equal_positions_on_all_axes_give_plain_rope()
    {
        using var scope = NewDisposeScope();
        var pos = arange(5, ScalarType.Int64).view(1, 1, 5).expand(3, 1, 5);
        var (cos3, sin3) = TransformerMath.MultimodalRotaryTables(pos, 8, 10000.0, ScalarType.Float32);
        var cos = TransformerMath.SelectMultimodalSections(cos3, [2, 1, 1]);

        var invFreq = tensor(Enumerable.Range(0, 4).Select(i => 1.0 / Math.Pow(10000.0, 2.0 * i / 8)).ToArray()).to_type(ScalarType.Float32);
        var freqs = arange(5, ScalarType.Float32).unsqueeze(-1) * invFreq;
        var expected = cat([freqs, freqs], -1).cos();

        Assert.True(cos.squeeze(0).squeeze(0).allclose(expected, atol: 1e-6));
        Assert.Equal([3L, 1, 5, 8], sin3.shape);
    }
}
