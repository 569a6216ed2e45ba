using TorchSharp;
using static TorchSharp.torch;

namespace Streamer.Models.Qwen25Omni;

/// <summary>
/// DownSample1d: replicate-pad, Kaiser-sinc low-pass, keep every ratio-th sample. The filter is a
/// non-persistent buffer computed from the ratio, never read from a checkpoint.
/// </summary>
public sealed class BigVGANDownSample1d : nn.Module<Tensor, Tensor>
{
    public const string FilterName = "filter";

    private readonly int _ratio;
    private readonly long _padLeft;
    private readonly long _padRight;

    public BigVGANDownSample1d(int ratio = 2, int kernelSize = 12) : base(nameof(BigVGANDownSample1d))
    {
        var cutoff = 0.5 / ratio;
        if (cutoff > 0.5)
        {
            throw new ArgumentOutOfRangeException(nameof(ratio), "a cutoff above 0.5 does not make sense");
        }
        _ratio = ratio;
        KernelSize = kernelSize;
        var even = kernelSize % 2 == 0;
        _padLeft = kernelSize / 2 - (even ? 1 : 0);
        _padRight = kernelSize / 2;
        var taps = BigVGANMath.KaiserSincFilter(cutoff, 0.6 / ratio, kernelSize);
        register_buffer(FilterName, tensor(taps).view(1, 1, kernelSize), persistent: false);
    }

    public int KernelSize { get; }

    public Tensor Filter => get_buffer(FilterName)!;

    /// <param name="x">[B, C, T] -> [B, C, T / ratio]</param>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var channels = x.shape[1];
        var padded = nn.functional.pad(x, [_padLeft, _padRight], PaddingModes.Replicate);
        var weight = Filter.to(x.dtype).expand(channels, -1, -1);
        return nn.functional.conv1d(padded, weight, stride: _ratio, groups: channels).MoveToOuterDisposeScope();
    }
}
