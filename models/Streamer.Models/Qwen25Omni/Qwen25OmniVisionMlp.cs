using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streamer.Models.Qwen25Omni;

/// <summary>The vision blocks' SwiGLU feed-forward: like the text MLP but with biases.</summary>
public sealed class Qwen25OmniVisionMlp : nn.Module
{
    public readonly Linear gate_proj;
    public readonly Linear up_proj;
    public readonly Linear down_proj;
    private readonly Func<Tensor, Tensor> _act;

    public Qwen25OmniVisionMlp(Qwen25OmniVisionConfig config) : base(nameof(Qwen25OmniVisionMlp))
    {
        gate_proj = nn.Linear(config.HiddenSize, config.IntermediateSize, hasBias: true);
        up_proj = nn.Linear(config.HiddenSize, config.IntermediateSize, hasBias: true);
        down_proj = nn.Linear(config.IntermediateSize, config.HiddenSize, hasBias: true);
        _act = Qwen2Mlp.Activation(config.HiddenAct);
        RegisterComponents();
    }

    public Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return down_proj.forward(_act(gate_proj.forward(x)) * up_proj.forward(x)).MoveToOuterDisposeScope();
    }
}
