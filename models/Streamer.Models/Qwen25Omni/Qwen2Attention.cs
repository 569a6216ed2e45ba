using Streamer.Models.Generation;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streamer.Models.Qwen25Omni;

/// <summary>
/// Grouped-query self-attention with biased q/k/v projections and an unbiased o_proj; M-RoPE is
/// applied to queries and keys before they enter the cache.
/// </summary>
public sealed class Qwen2Attention : nn.Module
{
    public readonly Linear q_proj;
    public readonly Linear k_proj;
    public readonly Linear v_proj;
    public readonly Linear o_proj;
    private readonly int _layer;
    private readonly int _heads;
    private readonly int _kvHeads;
    private readonly int _headDim;
    private readonly int _groups;

    public Qwen2Attention(Qwen25OmniTextConfig config, int layer) : base(nameof(Qwen2Attention))
    {
        _layer = layer;
        _heads = config.NumAttentionHeads;
        _kvHeads = config.NumKeyValueHeads;
        _headDim = config.HeadDim;
        _groups = config.KvGroups;
        q_proj = nn.Linear(config.HiddenSize, _heads * _headDim, hasBias: true);
        k_proj = nn.Linear(config.HiddenSize, _kvHeads * _headDim, hasBias: true);
        v_proj = nn.Linear(config.HiddenSize, _kvHeads * _headDim, hasBias: true);
        o_proj = nn.Linear(_heads * _headDim, config.HiddenSize, hasBias: false);
        RegisterComponents();
    }

    /// <param name="x">[B, L, hidden]</param>
    /// <param name="cos">section-selected [B, 1, L, D]</param>
    /// <param name="sin">section-selected [B, 1, L, D]</param>
    /// <param name="mask">additive [B, 1, L, T] or null for plain causal attention</param>
    /// <param name="cache">appended to when given</param>
    /// <param name="probe">sees this layer's queries and keys before rotary, when given</param>
    public Tensor forward(Tensor x, Tensor cos, Tensor sin, Tensor? mask, KvCache? cache, IAttentionProbe? probe = null)
    {
        using var scope = NewDisposeScope();
        var (b, l) = (x.shape[0], x.shape[1]);
        var q = q_proj.forward(x).view(b, l, _heads, _headDim).transpose(1, 2);
        var k = k_proj.forward(x).view(b, l, _kvHeads, _headDim).transpose(1, 2);
        var v = v_proj.forward(x).view(b, l, _kvHeads, _headDim).transpose(1, 2);
        probe?.Observe(_layer, q, k);
        q = TransformerMath.ApplyRotary(q, cos, sin);
        k = TransformerMath.ApplyRotary(k, cos, sin);
        if (cache is not null)
        {
            (k, v) = cache.Append(_layer, k, v);
        }
        var kr = TransformerMath.RepeatKv(k, _groups);
        var vr = TransformerMath.RepeatKv(v, _groups);
        var attn = mask is null
            ? nn.functional.scaled_dot_product_attention(q, kr, vr, is_casual: l > 1)
            : nn.functional.scaled_dot_product_attention(q, kr, vr, mask);
        var merged = attn.transpose(1, 2).reshape(b, l, _heads * _headDim);
        return o_proj.forward(merged).MoveToOuterDisposeScope();
    }
}
