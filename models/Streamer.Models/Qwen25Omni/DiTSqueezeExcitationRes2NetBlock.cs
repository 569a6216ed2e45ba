using TorchSharp;
using static TorchSharp.torch;

namespace Streamer.Models.Qwen25Omni;

/// <summary>SqueezeExcitationRes2NetBlock: TDNN -> Res2Net -> TDNN -> squeeze-excitation, plus the input.</summary>
public sealed class DiTSqueezeExcitationRes2NetBlock : nn.Module<Tensor, Tensor>
{
    public readonly DiTTimeDelayNetBlock tdnn1;
    public readonly DiTRes2NetBlock res2net_block;
    public readonly DiTTimeDelayNetBlock tdnn2;
    public readonly DiTSqueezeExcitationBlock se_block;

    public DiTSqueezeExcitationRes2NetBlock(int inChannels, int outChannels, int res2NetScale, int seChannels, int kernelSize, int dilation)
        : base(nameof(DiTSqueezeExcitationRes2NetBlock))
    {
        if (inChannels != outChannels)
        {
            throw new ArgumentException($"the residual needs equal channels, got {inChannels} -> {outChannels}");
        }
        tdnn1 = new DiTTimeDelayNetBlock(inChannels, outChannels, 1, 1);
        res2net_block = new DiTRes2NetBlock(outChannels, outChannels, res2NetScale, kernelSize, dilation);
        tdnn2 = new DiTTimeDelayNetBlock(outChannels, outChannels, 1, 1);
        se_block = new DiTSqueezeExcitationBlock(outChannels, seChannels, outChannels);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = se_block.forward(tdnn2.forward(res2net_block.forward(tdnn1.forward(x))));
        return (h + x).MoveToOuterDisposeScope();
    }
}
