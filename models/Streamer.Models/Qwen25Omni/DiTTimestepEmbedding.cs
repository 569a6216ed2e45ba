using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streamer.Models.Qwen25Omni;

/// <summary>
/// DiTTimestepEmbedding (<c>time_embed</c>): sinusoidal features of 1000 * t (sin half, then cos
/// half) through Linear, SiLU, Linear. The SiLU sits in the list so the checkpoint's
/// <c>time_mlp.0</c> / <c>time_mlp.2</c> indices line up.
/// </summary>
public sealed class DiTTimestepEmbedding : nn.Module<Tensor, Tensor>
{
    public const int FrequencyDim = 256;
    private const double Scale = 1000;

    public readonly ModuleList<nn.Module<Tensor, Tensor>> time_mlp;

    public DiTTimestepEmbedding(int dim) : base(nameof(DiTTimestepEmbedding))
    {
        time_mlp = new ModuleList<nn.Module<Tensor, Tensor>>(nn.Linear(FrequencyDim, dim), nn.SiLU(), nn.Linear(dim, dim));
        RegisterComponents();
    }

    /// <summary>SinusPositionEmbedding: [B] -> [B, dim].</summary>
    public static Tensor Sinusoidal(Tensor t, int dim, double scale = Scale)
    {
        using var scope = NewDisposeScope();
        var half = dim / 2;
        var step = Math.Log(10000) / (half - 1);
        var freqs = (arange(half, ScalarType.Float32, t.device) * -step).exp();
        var args = t.to_type(ScalarType.Float32).unsqueeze(1) * scale * freqs.unsqueeze(0);
        return cat([args.sin(), args.cos()], -1).to_type(t.dtype).MoveToOuterDisposeScope();
    }

    /// <param name="t">flow time per batch row [B]</param>
    public override Tensor forward(Tensor t)
    {
        using var scope = NewDisposeScope();
        var h = Sinusoidal(t, FrequencyDim);
        foreach (var layer in time_mlp)
        {
            h = layer.forward(h);
        }
        return h.MoveToOuterDisposeScope();
    }
}
