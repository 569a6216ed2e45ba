using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streamer.Models.Qwen25Omni;

/// <summary>
/// AttentiveStatisticsPooling: per-channel attention over time, computed from the frames plus their
/// global mean and standard deviation, then the attention-weighted mean and standard deviation
/// ([B, 2C, 1]). Every frame is valid (the reference builds an all-ones mask).
/// </summary>
public sealed class DiTAttentiveStatisticsPooling : nn.Module<Tensor, Tensor>
{
    private const double Eps = 1e-12;

    public readonly DiTTimeDelayNetBlock tdnn;
    public readonly Conv1d conv;

    public DiTAttentiveStatisticsPooling(int channels, int attentionChannels) : base(nameof(DiTAttentiveStatisticsPooling))
    {
        tdnn = new DiTTimeDelayNetBlock(channels * 3, attentionChannels, 1, 1);
        conv = nn.Conv1d(attentionChannels, channels, 1);
        RegisterComponents();
    }

    /// <param name="x">[B, C, T]</param>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var t = x.shape[2];
        var uniform = ones(x.shape[0], 1, t, x.dtype, x.device) / t;
        var (mean, std) = Statistics(x, uniform);
        var context = cat([x, mean.unsqueeze(2).expand(-1, -1, t), std.unsqueeze(2).expand(-1, -1, t)], 1);
        var attention = conv.forward(tdnn.forward(context).tanh()).softmax(2);
        var (wMean, wStd) = Statistics(x, attention);
        return cat([wMean, wStd], 1).unsqueeze(2).MoveToOuterDisposeScope();
    }

    private static (Tensor Mean, Tensor Std) Statistics(Tensor x, Tensor weights)
    {
        var mean = (weights * x).sum(2);
        var variance = (weights * (x - mean.unsqueeze(2)).pow(2)).sum(2);
        return (mean, variance.clamp_min(Eps).sqrt());
    }
}
