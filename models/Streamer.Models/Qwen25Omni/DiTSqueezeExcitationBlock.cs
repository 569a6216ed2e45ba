using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streamer.Models.Qwen25Omni;

/// <summary>SqueezeExcitationBlock: channel gates from the time-averaged input (1x1 conv, ReLU, 1x1 conv, sigmoid).</summary>
public sealed class DiTSqueezeExcitationBlock : nn.Module<Tensor, Tensor>
{
    public readonly Conv1d conv1;
    public readonly Conv1d conv2;

    public DiTSqueezeExcitationBlock(int inChannels, int seChannels, int outChannels) : base(nameof(DiTSqueezeExcitationBlock))
    {
        conv1 = nn.Conv1d(inChannels, seChannels, 1);
        conv2 = nn.Conv1d(seChannels, outChannels, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var mean = x.mean([2], keepdim: true);
        var gates = conv2.forward(nn.functional.relu(conv1.forward(mean))).sigmoid();
        return (x * gates).MoveToOuterDisposeScope();
    }
}
