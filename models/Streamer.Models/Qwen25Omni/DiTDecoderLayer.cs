using TorchSharp;
using static TorchSharp.torch;

namespace Streamer.Models.Qwen25Omni;

/// <summary>
/// DiTDecoderLayer (<c>transformer_blocks.{i}</c>): time-modulated attention and MLP, each added
/// back through its gate. How far a frame may look is set per layer: one block back for the
/// layers in look_backward_layers, one block ahead for those in look_ahead_layers.
/// </summary>
public sealed class DiTDecoderLayer : nn.Module
{
    public readonly DiTAdaLayerNormZero attn_norm;
    public readonly DiTAttention attn;
    public readonly DiTMlp ff;
    private readonly int _dim;

    public DiTDecoderLayer(Qwen25OmniDiTConfig config, int lookAheadBlock, int lookBackwardBlock) : base(nameof(DiTDecoderLayer))
    {
        _dim = config.HiddenSize;
        LookAheadBlock = lookAheadBlock;
        LookBackwardBlock = lookBackwardBlock;
        attn_norm = new DiTAdaLayerNormZero(config.HiddenSize);
        attn = new DiTAttention(config);
        ff = new DiTMlp(config.HiddenSize, config.FfMult, config.Dropout);
        RegisterComponents();
    }

    public int LookAheadBlock { get; }

    public int LookBackwardBlock { get; }

    /// <param name="x">[B, T, hidden]</param>
    /// <param name="timeEmbedding">[B or 1, hidden]</param>
    /// <param name="mask">this layer's [T, T] block mask</param>
    public Tensor forward(Tensor x, Tensor timeEmbedding, Tensor cos, Tensor sin, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var m = attn_norm.forward(x, timeEmbedding);
        var h = x + m.GateMsa.unsqueeze(1) * attn.forward(m.Normed, cos, sin, mask);
        var normed = nn.functional.layer_norm(h, [_dim], eps: DiTAdaLayerNormZero.Eps) * (m.ScaleMlp.unsqueeze(1) + 1) + m.ShiftMlp.unsqueeze(1);
        return (h + m.GateMlp.unsqueeze(1) * ff.forward(normed)).MoveToOuterDisposeScope();
    }
}
