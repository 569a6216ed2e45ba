using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streamer.Models.Qwen25Omni;

/// <summary>
/// SnakeBeta: x + 1/beta * sin^2(alpha * x) per channel, with alpha and beta stored as logarithms
/// (exp is taken on every call, as in the reference).
/// </summary>
public sealed class BigVGANSnakeBeta : nn.Module<Tensor, Tensor>
{
    private const double NoDivByZero = 1e-9;

    public readonly Parameter alpha;
    public readonly Parameter beta;

    public BigVGANSnakeBeta(int channels) : base(nameof(BigVGANSnakeBeta))
    {
        alpha = nn.Parameter(zeros(channels));
        beta = nn.Parameter(zeros(channels));
        RegisterComponents();
    }

    /// <param name="x">[B, C, T]</param>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var a = alpha.unsqueeze(0).unsqueeze(-1).exp();
        var b = beta.unsqueeze(0).unsqueeze(-1).exp();
        return (x + (b + NoDivByZero).reciprocal() * (x * a).sin().pow(2)).MoveToOuterDisposeScope();
    }
}
