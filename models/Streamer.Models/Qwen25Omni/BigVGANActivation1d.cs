using TorchSharp;
using static TorchSharp.torch;

namespace Streamer.Models.Qwen25Omni;

/// <summary>
/// TorchActivation1d: the anti-aliased SnakeBeta (2x up-sample, activation, 2x down-sample), so
/// the nonlinearity's harmonics above the original Nyquist are filtered out.
/// </summary>
public sealed class BigVGANActivation1d : nn.Module<Tensor, Tensor>
{
    public readonly BigVGANSnakeBeta act;
    public readonly BigVGANUpSample1d upsample;
    public readonly BigVGANDownSample1d downsample;

    public BigVGANActivation1d(int channels, int upRatio = 2, int downRatio = 2, int upKernelSize = 12, int downKernelSize = 12)
        : base(nameof(BigVGANActivation1d))
    {
        act = new BigVGANSnakeBeta(channels);
        upsample = new BigVGANUpSample1d(upRatio, upKernelSize);
        downsample = new BigVGANDownSample1d(downRatio, downKernelSize);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return downsample.forward(act.forward(upsample.forward(x))).MoveToOuterDisposeScope();
    }
}
