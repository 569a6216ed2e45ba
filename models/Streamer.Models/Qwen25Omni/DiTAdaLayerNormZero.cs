using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streamer.Models.Qwen25Omni;

/// <summary>The six time-conditioned modulations of one DiT layer.</summary>
public readonly record struct DiTModulation(Tensor Normed, Tensor GateMsa, Tensor ShiftMlp, Tensor ScaleMlp, Tensor GateMlp);

/// <summary>
/// AdaLayerNormZero (<c>attn_norm</c>): from the time embedding, shift/scale/gate for attention
/// and for the MLP; returns the modulated attention input and the other four.
/// </summary>
public sealed class DiTAdaLayerNormZero : nn.Module
{
    public const double Eps = 1e-6;

    public readonly Linear linear;
    private readonly int _dim;

    public DiTAdaLayerNormZero(int dim) : base(nameof(DiTAdaLayerNormZero))
    {
        _dim = dim;
        linear = nn.Linear(dim, dim * 6);
        RegisterComponents();
    }

    /// <param name="x">[B, T, dim]</param>
    /// <param name="emb">time embedding [B or 1, dim]</param>
    public DiTModulation forward(Tensor x, Tensor emb)
    {
        var parts = linear.forward(nn.functional.silu(emb)).chunk(6, 1);
        var (shiftMsa, scaleMsa) = (parts[0], parts[1]);
        var normed = nn.functional.layer_norm(x, [_dim], eps: Eps) * (scaleMsa.unsqueeze(1) + 1) + shiftMsa.unsqueeze(1);
        return new DiTModulation(normed, parts[2], parts[3], parts[4], parts[5]);
    }
}
