using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streamer.Models.Qwen25Omni;

/// <summary>
/// Qwen2.5-Omni BigVGAN vocoder (<c>token2wav.code2wav_bigvgan_model</c>): normalised mel
/// [B, mel, T] -> conv_pre -> per stage a transposed-conv upsample followed by the mean of that
/// stage's AMP blocks -> anti-aliased SnakeBeta -> conv_post -> samples clamped to [-1, 1],
/// <see cref="Qwen25OmniBigVGANConfig.HopLength"/> per mel frame.
/// </summary>
public sealed class Qwen25OmniBigVGAN : nn.Module<Tensor, Tensor>
{
    public const string CheckpointPrefix = "token2wav.code2wav_bigvgan_model.";

    private const int PreKernel = 7;
    private const int PostKernel = 7;

    public readonly Conv1d conv_pre;
    public readonly ModuleList<ModuleList<ConvTranspose1d>> ups;
    public readonly ModuleList<BigVGANAmpBlock> resblocks;
    public readonly BigVGANActivation1d activation_post;
    public readonly Conv1d conv_post;

    public Qwen25OmniBigVGAN(Qwen25OmniBigVGANConfig config) : base(nameof(Qwen25OmniBigVGAN))
    {
        Config = config;
        if (config.UpsampleRates.Count != config.UpsampleKernelSizes.Count)
        {
            throw new ArgumentException("upsample_rates and upsample_kernel_sizes differ in length");
        }
        if (config.ResblockKernelSizes.Count != config.ResblockDilationSizes.Count)
        {
            throw new ArgumentException("resblock_kernel_sizes and resblock_dilation_sizes differ in length");
        }
        var stages = config.UpsampleRates.Count;
        conv_pre = nn.Conv1d(config.MelDim, config.UpsampleInitialChannel, PreKernel, stride: 1, padding: PreKernel / 2);
        // The extra one-element list per stage is part of the checkpoint names (ups.{i}.0.weight).
        ups = new ModuleList<ModuleList<ConvTranspose1d>>(Enumerable.Range(0, stages).Select(i =>
        {
            var (rate, kernel) = (config.UpsampleRates[i], config.UpsampleKernelSizes[i]);
            var inChannels = config.UpsampleInitialChannel >> i;
            return new ModuleList<ConvTranspose1d>(
                nn.ConvTranspose1d(inChannels, config.ChannelsAfter(i), kernel, stride: rate, padding: (kernel - rate) / 2));
        }).ToArray());
        resblocks = new ModuleList<BigVGANAmpBlock>(Enumerable.Range(0, stages)
            .SelectMany(i => config.ResblockKernelSizes.Select((k, j) => new BigVGANAmpBlock(config.ChannelsAfter(i), k, config.ResblockDilationSizes[j])))
            .ToArray());
        var finalChannels = config.ChannelsAfter(stages - 1);
        activation_post = new BigVGANActivation1d(finalChannels);
        conv_post = nn.Conv1d(finalChannels, 1, PostKernel, stride: 1, padding: PostKernel / 2, bias: false);
        RegisterComponents();
    }

    public Qwen25OmniBigVGANConfig Config { get; }

    /// <summary>Samples before the output clamp: [B, 1, T * hop].</summary>
    /// <param name="mel">log-mel [B, mel_dim, T]</param>
    public Tensor ForwardUnclamped(Tensor mel)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var h = conv_pre.forward(BigVGANMath.ProcessMel(mel));
        var perStage = Config.ResblockKernelSizes.Count;
        for (var stage = 0; stage < ups.Count; stage++)
        {
            h = ups[stage][0].forward(h);
            Tensor? sum = null;
            for (var j = 0; j < perStage; j++)
            {
                var r = resblocks[stage * perStage + j].forward(h);
                sum = sum is null ? r : sum + r;
            }
            h = sum! / perStage;
        }
        h = activation_post.forward(h);
        return conv_post.forward(h).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The reference forward: log-mel [B, mel_dim, T] -> waveform clamped to [-1, 1] and squeezed
    /// (1-D [T * hop] for one utterance). It stays on the model's device.
    /// </summary>
    public override Tensor forward(Tensor mel)
    {
        using var scope = NewDisposeScope();
        return ForwardUnclamped(mel).clamp(-1.0, 1.0).squeeze().MoveToOuterDisposeScope();
    }
}
