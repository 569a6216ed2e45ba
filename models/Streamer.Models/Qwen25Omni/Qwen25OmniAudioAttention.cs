using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streamer.Models.Qwen25Omni;

/// <summary>Whisper-style bidirectional self-attention; k_proj has no bias, as in the reference.</summary>
public sealed class Qwen25OmniAudioAttention : nn.Module
{
    public readonly Linear q_proj;
    public readonly Linear k_proj;
    public readonly Linear v_proj;
    public readonly Linear out_proj;
    private readonly int _heads;
    private readonly int _headDim;

    public Qwen25OmniAudioAttention(Qwen25OmniAudioConfig config) : base(nameof(Qwen25OmniAudioAttention))
    {
        _heads = config.EncoderAttentionHeads;
        _headDim = config.HeadDim;
        if (_heads * _headDim != config.DModel)
        {
            throw new ArgumentException($"d_model {config.DModel} is not divisible by encoder_attention_heads {_heads}");
        }
        q_proj = nn.Linear(config.DModel, config.DModel, hasBias: true);
        k_proj = nn.Linear(config.DModel, config.DModel, hasBias: false);
        v_proj = nn.Linear(config.DModel, config.DModel, hasBias: true);
        out_proj = nn.Linear(config.DModel, config.DModel, hasBias: true);
        RegisterComponents();
    }

    /// <param name="x">[chunks, T, d_model], one row of chunks per attention span</param>
    /// <param name="keyMask">[chunks, 1, 1, T] boolean, true where a key is a real frame</param>
    public Tensor forward(Tensor x, Tensor keyMask)
    {
        using var scope = NewDisposeScope();
        var (b, t) = (x.shape[0], x.shape[1]);
        var q = q_proj.forward(x).view(b, t, _heads, _headDim).transpose(1, 2);
        var k = k_proj.forward(x).view(b, t, _heads, _headDim).transpose(1, 2);
        var v = v_proj.forward(x).view(b, t, _heads, _headDim).transpose(1, 2);
        var attn = nn.functional.scaled_dot_product_attention(q, k, v, keyMask);
        return out_proj.forward(attn.transpose(1, 2).reshape(b, t, _heads * _headDim)).MoveToOuterDisposeScope();
    }
}
