using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streamer.Models.Qwen25Omni;

/// <summary>DiTAttention (<c>attn</c>): bidirectional attention under a block mask, rotary on the first head only.</summary>
public sealed class DiTAttention : nn.Module
{
    public readonly Linear to_q;
    public readonly Linear to_k;
    public readonly Linear to_v;
    public readonly ModuleList<nn.Module<Tensor, Tensor>> to_out;
    private readonly int _heads;
    private readonly int _headDim;

    public DiTAttention(Qwen25OmniDiTConfig config) : base(nameof(DiTAttention))
    {
        _heads = config.NumAttentionHeads;
        _headDim = config.HeadDim;
        to_q = nn.Linear(config.HiddenSize, config.InnerDim);
        to_k = nn.Linear(config.HiddenSize, config.InnerDim);
        to_v = nn.Linear(config.HiddenSize, config.InnerDim);
        to_out = new ModuleList<nn.Module<Tensor, Tensor>>(nn.Linear(config.InnerDim, config.HiddenSize), nn.Dropout(config.Dropout));
        RegisterComponents();
    }

    /// <param name="x">[B, T, hidden]</param>
    /// <param name="cos">rotary [T, head_dim]</param>
    /// <param name="mask">[T, T] boolean, true where attention is allowed</param>
    public Tensor forward(Tensor x, Tensor cos, Tensor sin, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var (b, t) = (x.shape[0], x.shape[1]);
        var q = to_q.forward(x).view(b, t, _heads, _headDim).transpose(1, 2);
        var k = to_k.forward(x).view(b, t, _heads, _headDim).transpose(1, 2);
        var v = to_v.forward(x).view(b, t, _heads, _headDim).transpose(1, 2);
        q = DiTMath.ApplyFirstHeadRotary(q, cos, sin);
        k = DiTMath.ApplyFirstHeadRotary(k, cos, sin);
        var attn = nn.functional.scaled_dot_product_attention(q, k, v, mask);
        var h = attn.transpose(1, 2).reshape(b, t, _heads * _headDim);
        foreach (var layer in to_out)
        {
            h = layer.forward(h);
        }
        return h.MoveToOuterDisposeScope();
    }
}
