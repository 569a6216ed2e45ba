using TorchSharp;
using static TorchSharp.torch;

namespace Streamer.Models.Qwen25Omni;

/// <summary>The reference's free functions: rotate_half, repeat_kv, apply_multimodal_rotary_pos_emb.</summary>
public static class TransformerMath
{
    /// <summary>[x1, x2] -> [-x2, x1] over the last dimension.</summary>
    public static Tensor RotateHalf(Tensor x)
    {
        using var scope = NewDisposeScope();
        var half = x.shape[^1] / 2;
        var x1 = x.narrow(-1, 0, half);
        var x2 = x.narrow(-1, half, half);
        return cat([x2.neg(), x1], -1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// [B, kvHeads, L, D] -> [B, kvHeads * groups, L, D], each kv head repeated for its group of
    /// query heads (same order as repeat_interleave on dim 1).
    /// </summary>
    public static Tensor RepeatKv(Tensor x, int groups)
    {
        if (groups == 1)
        {
            return x.alias();
        }
        using var scope = NewDisposeScope();
        var (b, h, l, d) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3]);
        return x.unsqueeze(2).expand(b, h, groups, l, d).reshape(b, h * groups, l, d).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Picks, for each chunk of the head dimension, the cos/sin row of its axis: the sections
    /// (temporal, height, width) are doubled because cos/sin repeat over the two rotate_half halves,
    /// so chunk i takes axis i % 3. <paramref name="cos"/> is [3, B, L, D]; the result is [B, 1, L, D].
    /// </summary>
    public static Tensor SelectMultimodalSections(Tensor cos, IReadOnlyList<int> mropeSection)
    {
        using var scope = NewDisposeScope();
        var sizes = mropeSection.Concat(mropeSection).Select(s => (long)s).ToArray();
        var chunks = cos.split(sizes, -1);
        var picked = new Tensor[chunks.Length];
        for (var i = 0; i < chunks.Length; i++)
        {
            picked[i] = chunks[i][i % 3];
        }
        return cat(picked, -1).unsqueeze(1).MoveToOuterDisposeScope();
    }

    /// <summary>q * cos + rotate_half(q) * sin with cos/sin already section-selected ([B, 1, L, D]).</summary>
    public static Tensor ApplyRotary(Tensor x, Tensor cos, Tensor sin)
    {
        using var scope = NewDisposeScope();
        return (x * cos + RotateHalf(x) * sin).MoveToOuterDisposeScope();
    }

    /// <summary>apply_multimodal_rotary_pos_emb: cos/sin [3, B, L, D] straight from the rotary embedding.</summary>
    public static (Tensor Q, Tensor K) ApplyMultimodalRotary(Tensor q, Tensor k, Tensor cos, Tensor sin, IReadOnlyList<int> mropeSection)
    {
        using var scope = NewDisposeScope();
        var c = SelectMultimodalSections(cos, mropeSection);
        var s = SelectMultimodalSections(sin, mropeSection);
        return (ApplyRotary(q, c, s).MoveToOuterDisposeScope(), ApplyRotary(k, c, s).MoveToOuterDisposeScope());
    }

    /// <summary>
    /// The M-RoPE cos/sin tables [3, B, L, D] for position ids [3, B, L], computed in float32 as the
    /// reference does and cast to <paramref name="dtype"/>.
    /// </summary>
    public static (Tensor Cos, Tensor Sin) MultimodalRotaryTables(Tensor positionIds, int headDim, double theta, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var exponent = arange(0, headDim, 2, ScalarType.Int64, positionIds.device).to_type(ScalarType.Float32) / headDim;
        var invFreq = full(exponent.shape, theta, ScalarType.Float32, positionIds.device).pow(exponent).reciprocal();
        var freqs = positionIds.to_type(ScalarType.Float32).unsqueeze(-1) * invFreq;
        var emb = cat([freqs, freqs], -1);
        return (emb.cos().to_type(dtype).MoveToOuterDisposeScope(), emb.sin().to_type(dtype).MoveToOuterDisposeScope());
    }
}
