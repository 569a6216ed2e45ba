using TorchSharp;
using static TorchSharp.torch;

namespace Streamer.Models.Qwen25Omni;

/// <summary>The DiT's free functions: rotary tables, first-head rotary, the block-wise attention mask.</summary>
public static class DiTMath
{
    /// <summary>Rotary cos/sin [T, headDim] for positions 0..T-1, computed in float32 (cat(freqs, freqs)).</summary>
    public static (Tensor Cos, Tensor Sin) RotaryTables(long length, int headDim, double theta, Device device, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var exponent = arange(0, headDim, 2, ScalarType.Int64, device).to_type(ScalarType.Float32) / headDim;
        var invFreq = full(exponent.shape, theta, ScalarType.Float32, device).pow(exponent).reciprocal();
        var freqs = arange(length, ScalarType.Float32, device).unsqueeze(1) * invFreq.unsqueeze(0);
        var emb = cat([freqs, freqs], -1);
        return (emb.cos().to_type(dtype).MoveToOuterDisposeScope(), emb.sin().to_type(dtype).MoveToOuterDisposeScope());
    }

    /// <summary>
    /// The reference rotates only head 0 (a training artefact it keeps), with the head dimension
    /// de-interleaved first (x0, x2, ..., x1, x3, ...) and then the usual rotate_half rotation. Query
    /// and key get the same permutation, so their dot products are what the reference computes.
    /// </summary>
    /// <param name="x">[B, H, T, D]</param>
    /// <param name="cos">[T, D]</param>
    public static Tensor ApplyFirstHeadRotary(Tensor x, Tensor cos, Tensor sin)
    {
        using var scope = NewDisposeScope();
        var (b, t, d) = (x.shape[0], x.shape[2], x.shape[3]);
        var head0 = x.narrow(1, 0, 1).reshape(b, 1, t, d / 2, 2).transpose(-1, -2).reshape(b, 1, t, d);
        var rotated = TransformerMath.ApplyRotary(head0, cos, sin);
        return cat([rotated, x.narrow(1, 1, x.shape[1] - 1)], 1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Frame i may attend to frame j when j's block is at most <paramref name="lookBackward"/> blocks
    /// before and at most <paramref name="lookAhead"/> blocks after i's block: [T, T] boolean.
    /// </summary>
    public static Tensor BlockMask(long length, int blockSize, int lookBackward, int lookAhead, Device device)
    {
        using var scope = NewDisposeScope();
        var blocks = arange(length, ScalarType.Int64, device).div(blockSize, rounding_mode: RoundingMode.floor);
        var diff = blocks.unsqueeze(0) - blocks.unsqueeze(1);
        return diff.ge(-lookBackward).logical_and(diff.le(lookAhead)).MoveToOuterDisposeScope();
    }
}
