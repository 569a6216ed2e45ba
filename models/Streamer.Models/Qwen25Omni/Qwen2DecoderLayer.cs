using Streamer.Models.Generation;
using TorchSharp;
using static TorchSharp.torch;

namespace Streamer.Models.Qwen25Omni;

/// <summary>Pre-norm block: x + attn(norm(x)), then h + mlp(norm(h)).</summary>
public sealed class Qwen2DecoderLayer : nn.Module
{
    public readonly Qwen2Attention self_attn;
    public readonly Qwen2Mlp mlp;
    public readonly Qwen2RmsNorm input_layernorm;
    public readonly Qwen2RmsNorm post_attention_layernorm;

    public Qwen2DecoderLayer(Qwen25OmniTextConfig config, int layer) : base(nameof(Qwen2DecoderLayer))
    {
        self_attn = new Qwen2Attention(config, layer);
        mlp = new Qwen2Mlp(config);
        input_layernorm = new Qwen2RmsNorm(config.HiddenSize, config.RmsNormEps);
        post_attention_layernorm = new Qwen2RmsNorm(config.HiddenSize, config.RmsNormEps);
        RegisterComponents();
    }

    public Tensor forward(Tensor x, Tensor cos, Tensor sin, Tensor? mask, KvCache? cache, IAttentionProbe? probe = null)
    {
        using var scope = NewDisposeScope();
        var h = x + self_attn.forward(input_layernorm.forward(x), cos, sin, mask, cache, probe);
        return (h + mlp.forward(post_attention_layernorm.forward(h))).MoveToOuterDisposeScope();
    }
}
