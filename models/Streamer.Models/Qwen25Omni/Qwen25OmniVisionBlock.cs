using TorchSharp;
using static TorchSharp.torch;

namespace Streamer.Models.Qwen25Omni;

/// <summary>Pre-norm transformer block of the vision encoder (RMSNorm, eps 1e-6 as in the reference).</summary>
public sealed class Qwen25OmniVisionBlock : nn.Module
{
    /// <summary>The reference hard-codes this epsilon for every vision norm.</summary>
    public const double NormEps = 1e-6;

    public readonly Qwen2RmsNorm norm1;
    public readonly Qwen2RmsNorm norm2;
    public readonly Qwen25OmniVisionAttention attn;
    public readonly Qwen25OmniVisionMlp mlp;

    public Qwen25OmniVisionBlock(Qwen25OmniVisionConfig config) : base(nameof(Qwen25OmniVisionBlock))
    {
        norm1 = new Qwen2RmsNorm(config.HiddenSize, NormEps);
        norm2 = new Qwen2RmsNorm(config.HiddenSize, NormEps);
        attn = new Qwen25OmniVisionAttention(config);
        mlp = new Qwen25OmniVisionMlp(config);
        RegisterComponents();
    }

    public Tensor forward(Tensor x, Tensor cos, Tensor sin, IReadOnlyList<long> cuSeqlens)
    {
        using var scope = NewDisposeScope();
        var h = x + attn.forward(norm1.forward(x), cos, sin, cuSeqlens);
        return (h + mlp.forward(norm2.forward(h))).MoveToOuterDisposeScope();
    }
}
