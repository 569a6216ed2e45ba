using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streamer.Models.Qwen25Omni;

/// <summary>
/// ECAPA_TimeDelayNet (<c>input_embed.spk_encoder</c>): a reference mel [B, T, mel] -> a speaker
/// vector [B, enc_dim]. One TDNN, SE-Res2Net blocks, multi-layer feature aggregation of the
/// SE-Res2Net outputs (mfa), attentive statistics pooling (asp) and a 1x1 conv (fc).
/// </summary>
public sealed class DiTSpeakerEncoder : nn.Module<Tensor, Tensor>
{
    public readonly ModuleList<nn.Module<Tensor, Tensor>> blocks;
    public readonly DiTTimeDelayNetBlock mfa;
    public readonly DiTAttentiveStatisticsPooling asp;
    public readonly Conv1d fc;

    public DiTSpeakerEncoder(Qwen25OmniDiTConfig config) : base(nameof(DiTSpeakerEncoder))
    {
        var (channels, kernels, dilations) = (config.EncChannels, config.EncKernelSizes, config.EncDilations);
        if (channels.Count != kernels.Count || channels.Count != dilations.Count)
        {
            throw new ArgumentException("enc_channels, enc_kernel_sizes and enc_dilations should have the same length");
        }
        var list = new List<nn.Module<Tensor, Tensor>> { new DiTTimeDelayNetBlock(config.MelDim, channels[0], kernels[0], dilations[0]) };
        for (var i = 1; i < channels.Count - 1; i++)
        {
            list.Add(new DiTSqueezeExcitationRes2NetBlock(channels[i - 1], channels[i], config.EncRes2NetScale, config.EncSeChannels, kernels[i], dilations[i]));
        }
        blocks = new ModuleList<nn.Module<Tensor, Tensor>>(list.ToArray());
        mfa = new DiTTimeDelayNetBlock(channels[^1], channels[^1], kernels[^1], dilations[^1]);
        asp = new DiTAttentiveStatisticsPooling(channels[^1], config.EncAttentionChannels);
        fc = nn.Conv1d(channels[^1] * 2, config.EncDim, 1);
        RegisterComponents();
    }

    /// <param name="mel">[B, T, mel_dim]</param>
    /// <returns>[B, enc_dim]</returns>
    public override Tensor forward(Tensor mel)
    {
        using var scope = NewDisposeScope();
        var h = mel.transpose(1, 2);
        var outputs = new List<Tensor>(blocks.Count);
        foreach (var block in blocks)
        {
            h = block.forward(h);
            outputs.Add(h);
        }
        h = mfa.forward(cat(outputs.Skip(1).ToArray(), 1));
        return fc.forward(asp.forward(h)).squeeze(-1).MoveToOuterDisposeScope();
    }
}
