using TorchSharp;
using static TorchSharp.torch;

namespace Streamer.Models.Qwen25Omni;

/// <summary>
/// UpSample1d: replicate-pad, zero-stuffing transposed convolution with the Kaiser-sinc low-pass
/// (times the ratio to keep the gain), then trim so the output is exactly ratio x longer. The
/// filter is a non-persistent buffer computed from the ratio, never read from a checkpoint.
/// </summary>
public sealed class BigVGANUpSample1d : nn.Module<Tensor, Tensor>
{
    public const string FilterName = "filter";

    private readonly int _ratio;
    private readonly long _pad;
    private readonly long _padLeft;
    private readonly long _padRight;

    public BigVGANUpSample1d(int ratio = 2, int? kernelSize = null) : base(nameof(BigVGANUpSample1d))
    {
        _ratio = ratio;
        var k = kernelSize ?? 6 * ratio / 2 * 2;
        KernelSize = k;
        _pad = k / ratio - 1;
        _padLeft = _pad * ratio + (k - ratio) / 2;
        _padRight = _pad * ratio + (k - ratio + 1) / 2;
        var taps = BigVGANMath.KaiserSincFilter(0.5 / ratio, 0.6 / ratio, k);
        register_buffer(FilterName, tensor(taps).view(1, 1, k), persistent: false);
    }

    public int KernelSize { get; }

    public Tensor Filter => get_buffer(FilterName)!;

    /// <param name="x">[B, C, T] -> [B, C, T * ratio]</param>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var channels = x.shape[1];
        var padded = nn.functional.pad(x, [_pad, _pad], PaddingModes.Replicate);
        var weight = Filter.to(x.dtype).expand(channels, -1, -1);
        var y = nn.functional.conv_transpose1d(padded, weight, stride: _ratio, groups: channels) * _ratio;
        return y.narrow(-1, _padLeft, y.shape[^1] - _padLeft - _padRight).MoveToOuterDisposeScope();
    }
}
