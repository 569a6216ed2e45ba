using TorchSharp;
using static TorchSharp.torch;

namespace Streamer.Models.Qwen25Omni;

/// <summary>Qwen2RMSNorm: normalise in float32, scale by <c>weight</c> in the input dtype.</summary>
public sealed class Qwen2RmsNorm : nn.Module
{
    public readonly TorchSharp.Modules.Parameter weight;
    private readonly double _eps;

    public Qwen2RmsNorm(long hiddenSize, double eps) : base(nameof(Qwen2RmsNorm))
    {
        weight = nn.Parameter(ones(hiddenSize));
        _eps = eps;
        RegisterComponents();
    }

    public Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = x.to_type(ScalarType.Float32);
        var variance = h.pow(2).mean([-1], keepdim: true);
        h = h * (variance + _eps).rsqrt();
        return (weight * h.to_type(x.dtype)).MoveToOuterDisposeScope();
    }
}
