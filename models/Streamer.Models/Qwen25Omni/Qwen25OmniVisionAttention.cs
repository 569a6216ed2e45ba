using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streamer.Models.Qwen25Omni;

/// <summary>
/// Vision self-attention over packed patches: 2D rotary on q/k, then bidirectional attention
/// inside each [cu_seqlens[i], cu_seqlens[i+1]) span (one window, or one frame for full-attention blocks).
/// </summary>
public sealed class Qwen25OmniVisionAttention : nn.Module
{
    public readonly Linear q;
    public readonly Linear k;
    public readonly Linear v;
    public readonly Linear proj;
    private readonly int _heads;
    private readonly int _headDim;

    public Qwen25OmniVisionAttention(Qwen25OmniVisionConfig config) : base(nameof(Qwen25OmniVisionAttention))
    {
        _heads = config.NumHeads;
        _headDim = config.HeadDim;
        q = nn.Linear(config.HiddenSize, config.HiddenSize, hasBias: true);
        k = nn.Linear(config.HiddenSize, config.HiddenSize, hasBias: true);
        v = nn.Linear(config.HiddenSize, config.HiddenSize, hasBias: true);
        proj = nn.Linear(config.HiddenSize, config.HiddenSize, hasBias: true);
        RegisterComponents();
    }

    /// <param name="x">[N, hidden]</param>
    /// <param name="cos">[N, 1, headDim] rotary cosines (float32)</param>
    /// <param name="sin">[N, 1, headDim] rotary sines (float32)</param>
    /// <param name="cuSeqlens">span boundaries, starting at 0 and ending at N</param>
    public Tensor forward(Tensor x, Tensor cos, Tensor sin, IReadOnlyList<long> cuSeqlens)
    {
        using var scope = NewDisposeScope();
        var n = x.shape[0];
        var qs = ApplyRotary(q.forward(x).view(n, _heads, _headDim), cos, sin).transpose(0, 1).unsqueeze(0);
        var ks = ApplyRotary(k.forward(x).view(n, _heads, _headDim), cos, sin).transpose(0, 1).unsqueeze(0);
        var vs = v.forward(x).view(n, _heads, _headDim).transpose(0, 1).unsqueeze(0);
        var spans = new List<Tensor>(cuSeqlens.Count);
        for (var i = 1; i < cuSeqlens.Count; i++)
        {
            var (start, length) = (cuSeqlens[i - 1], cuSeqlens[i] - cuSeqlens[i - 1]);
            if (length == 0)
            {
                continue;
            }
            spans.Add(nn.functional.scaled_dot_product_attention(
                qs.narrow(2, start, length), ks.narrow(2, start, length), vs.narrow(2, start, length)));
        }
        // [1, heads, N, D] -> [N, heads * D]
        var attn = cat(spans, 2).squeeze(0).transpose(0, 1).reshape(n, _heads * _headDim);
        return proj.forward(attn).MoveToOuterDisposeScope();
    }

    /// <summary>apply_rotary_pos_emb_vision: rotation computed in float32, cast back to the input dtype.</summary>
    private static Tensor ApplyRotary(Tensor x, Tensor cos, Tensor sin)
    {
        var f = x.to_type(ScalarType.Float32);
        return (f * cos + TransformerMath.RotateHalf(f) * sin).to_type(x.dtype);
    }
}
