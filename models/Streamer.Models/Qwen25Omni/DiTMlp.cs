using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streamer.Models.Qwen25Omni;

/// <summary>DiTMLP (<c>ff</c>): Linear, tanh-GELU, Dropout, Linear, kept as one list so indices 0 and 3 match the checkpoint.</summary>
public sealed class DiTMlp : nn.Module<Tensor, Tensor>
{
    public readonly ModuleList<nn.Module<Tensor, Tensor>> ff;

    public DiTMlp(int dim, double mult, double dropout) : base(nameof(DiTMlp))
    {
        var inner = (int)(dim * mult);
        ff = new ModuleList<nn.Module<Tensor, Tensor>>(
            nn.Linear(dim, inner), nn.GELU(GELU.Approximate.tanh), nn.Dropout(dropout), nn.Linear(inner, dim));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = x;
        foreach (var layer in ff)
        {
            h = layer.forward(h);
        }
        return h.MoveToOuterDisposeScope();
    }
}
