using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streamer.Models.Qwen25Omni;

/// <summary>AdaLayerNormZero_Final (<c>norm_out</c>): time-conditioned scale then shift (in that order) of the last hidden states.</summary>
public sealed class DiTAdaLayerNormZeroFinal : nn.Module<Tensor, Tensor, Tensor>
{
    public readonly Linear linear;
    private readonly int _dim;

    public DiTAdaLayerNormZeroFinal(int dim) : base(nameof(DiTAdaLayerNormZeroFinal))
    {
        _dim = dim;
        linear = nn.Linear(dim, dim * 2);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x, Tensor emb)
    {
        using var scope = NewDisposeScope();
        var parts = linear.forward(nn.functional.silu(emb)).chunk(2, 1);
        var (scale, shift) = (parts[0], parts[1]);
        var normed = nn.functional.layer_norm(x, [_dim], eps: DiTAdaLayerNormZero.Eps);
        return (normed * (scale.unsqueeze(1) + 1) + shift.unsqueeze(1)).MoveToOuterDisposeScope();
    }
}
