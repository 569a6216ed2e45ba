using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streamer.Models.Qwen25Omni;

/// <summary>
/// AMPBlock: three residual units, each activation -> dilated conv -> activation -> conv; the six
/// activations alternate between the first and second conv of each unit.
/// </summary>
public sealed class BigVGANAmpBlock : nn.Module<Tensor, Tensor>
{
    public readonly ModuleList<Conv1d> convs1;
    public readonly ModuleList<Conv1d> convs2;
    public readonly ModuleList<BigVGANActivation1d> activations;

    public BigVGANAmpBlock(int channels, int kernelSize, IReadOnlyList<int> dilations) : base(nameof(BigVGANAmpBlock))
    {
        convs1 = new ModuleList<Conv1d>(dilations
            .Select(d => nn.Conv1d(channels, channels, kernelSize, stride: 1, padding: Padding(kernelSize, d), dilation: d))
            .ToArray());
        convs2 = new ModuleList<Conv1d>(dilations
            .Select(_ => nn.Conv1d(channels, channels, kernelSize, stride: 1, padding: Padding(kernelSize, 1), dilation: 1))
            .ToArray());
        activations = new ModuleList<BigVGANActivation1d>(Enumerable.Range(0, 2 * dilations.Count)
            .Select(_ => new BigVGANActivation1d(channels))
            .ToArray());
        RegisterComponents();
    }

    private static long Padding(int kernelSize, int dilation) => (kernelSize * dilation - dilation) / 2;

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = x;
        for (var i = 0; i < convs1.Count; i++)
        {
            var residual = h;
            var y = activations[2 * i].forward(h);
            y = convs1[i].forward(y);
            y = activations[2 * i + 1].forward(y);
            y = convs2[i].forward(y);
            h = residual + y;
        }
        return h.MoveToOuterDisposeScope();
    }
}
