using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streamer.Models.Qwen25Omni;

/// <summary>
/// TimeDelayNetBlock of the ECAPA-TDNN speaker encoder: a dilated Conv1d with "same" length
/// (reflect-padded, left half rounded down as torch does) followed by ReLU. The padding is done
/// here so the conv itself is a plain, unpadded Conv1d whose weights load by name.
/// </summary>
public sealed class DiTTimeDelayNetBlock : nn.Module<Tensor, Tensor>
{
    public readonly Conv1d conv;
    private readonly long _padLeft;
    private readonly long _padRight;

    public DiTTimeDelayNetBlock(int inChannels, int outChannels, int kernelSize, int dilation) : base(nameof(DiTTimeDelayNetBlock))
    {
        conv = nn.Conv1d(inChannels, outChannels, kernelSize, stride: 1, padding: 0L, dilation: dilation);
        var total = (long)dilation * (kernelSize - 1);
        _padLeft = total / 2;
        _padRight = total - _padLeft;
        RegisterComponents();
    }

    /// <param name="x">[B, C, T]</param>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var padded = _padLeft + _padRight == 0 ? x : nn.functional.pad(x, [_padLeft, _padRight], PaddingModes.Reflect);
        return nn.functional.relu(conv.forward(padded)).MoveToOuterDisposeScope();
    }
}
