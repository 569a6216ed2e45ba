using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streamer.Models.Qwen25Omni;

/// <summary>SwiGLU feed-forward: down_proj(act(gate_proj(x)) * up_proj(x)), no biases.</summary>
public sealed class Qwen2Mlp : nn.Module
{
    public readonly Linear gate_proj;
    public readonly Linear up_proj;
    public readonly Linear down_proj;
    private readonly Func<Tensor, Tensor> _act;

    public Qwen2Mlp(Qwen25OmniTextConfig config) : base(nameof(Qwen2Mlp))
    {
        gate_proj = nn.Linear(config.HiddenSize, config.IntermediateSize, hasBias: false);
        up_proj = nn.Linear(config.HiddenSize, config.IntermediateSize, hasBias: false);
        down_proj = nn.Linear(config.IntermediateSize, config.HiddenSize, hasBias: false);
        _act = Activation(config.HiddenAct);
        RegisterComponents();
    }

    internal static Func<Tensor, Tensor> Activation(string name) => name switch
    {
        "silu" or "swish" => t => nn.functional.silu(t),
        "gelu" => t => nn.functional.gelu(t),
        "relu" => t => nn.functional.relu(t),
        _ => throw new NotSupportedException($"hidden_act '{name}' is not supported"),
    };

    public Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return down_proj.forward(_act(gate_proj.forward(x)) * up_proj.forward(x)).MoveToOuterDisposeScope();
    }
}
