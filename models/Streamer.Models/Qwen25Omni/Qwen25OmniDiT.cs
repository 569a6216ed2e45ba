using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streamer.Models.Qwen25Omni;

/// <summary>
/// Qwen2.5-Omni Token2Wav DiT (<c>token2wav.code2wav_dit_model</c>): predicts the flow-matching
/// velocity of a noisy mel [B, T, mel_dim] at time t, conditioned on talker codes (T / repeats of
/// them), a speaker embedding and a reference mel. Attention is block-wise (block_size frames)
/// with per-layer look-back and look-ahead, so a frame depends on a bounded neighbourhood.
/// </summary>
public sealed class Qwen25OmniDiT : nn.Module
{
    public const string CheckpointPrefix = "token2wav.code2wav_dit_model.";

    public readonly DiTTimestepEmbedding time_embed;
    public readonly DiTCodecEmbedding text_embed;
    public readonly DiTInputEmbedding input_embed;
    public readonly ModuleList<DiTDecoderLayer> transformer_blocks;
    public readonly DiTAdaLayerNormZeroFinal norm_out;
    public readonly Linear proj_out;

    public Qwen25OmniDiT(Qwen25OmniDiTConfig config) : base(nameof(Qwen25OmniDiT))
    {
        Config = config;
        if (config.HeadDim % 2 != 0)
        {
            throw new ArgumentException($"head_dim {config.HeadDim} must be even for the rotary embedding");
        }
        time_embed = new DiTTimestepEmbedding(config.HiddenSize);
        text_embed = new DiTCodecEmbedding(config.NumEmbeds, config.EmbDim, config.Repeats);
        input_embed = new DiTInputEmbedding(config);
        transformer_blocks = new ModuleList<DiTDecoderLayer>(Enumerable.Range(0, config.NumHiddenLayers)
            .Select(i => new DiTDecoderLayer(config,
                lookAheadBlock: config.LookAheadLayers.Contains(i) ? 1 : 0,
                lookBackwardBlock: config.LookBackwardLayers.Contains(i) ? 1 : 0))
            .ToArray());
        norm_out = new DiTAdaLayerNormZeroFinal(config.HiddenSize);
        proj_out = nn.Linear(config.HiddenSize, config.MelDim);
        RegisterComponents();
    }

    public Qwen25OmniDiTConfig Config { get; }

    /// <summary>
    /// One velocity prediction.
    /// </summary>
    /// <param name="x">noisy mel [B, T, mel_dim]</param>
    /// <param name="referenceMel">speaker reference mel [B, T_ref, mel_dim] (condition_vector)</param>
    /// <param name="speakerEmbedding">speaker vector repeated over time [B, T, enc_emb_dim]</param>
    /// <param name="codes">talker codes [B, T / repeats] int64</param>
    /// <param name="timeStep">flow time, 0-dim or [B]</param>
    /// <param name="applyCfg">when true the batch is doubled: rows [0, B) conditional, [B, 2B) unconditional</param>
    /// <returns>[B, T, mel_dim], or [2B, T, mel_dim] with <paramref name="applyCfg"/></returns>
    public Tensor forward(Tensor x, Tensor referenceMel, Tensor speakerEmbedding, Tensor codes, Tensor timeStep,
        bool applyCfg = true, bool dropAudioConditioning = false, bool dropCode = false)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var batch = x.shape[0];
        var t = timeStep.ndim == 0 ? timeStep.to(x.dtype, x.device).repeat(batch) : timeStep.to(x.dtype, x.device);
        var timeEmbedding = time_embed.forward(t);
        var codeEmbed = text_embed.forward(codes, !applyCfg && dropCode);
        var codeEmbedUncond = applyCfg ? text_embed.forward(codes, true) : null;

        var h = input_embed.forward(x, speakerEmbedding, referenceMel, codeEmbed, dropAudioConditioning, codeEmbedUncond, applyCfg);

        var length = h.shape[1];
        var (cos, sin) = DiTMath.RotaryTables(length, Config.HeadDim, Config.RopeTheta, h.device, h.dtype);
        var masks = new Dictionary<(int, int), Tensor>();
        foreach (var block in transformer_blocks)
        {
            var key = (block.LookBackwardBlock, block.LookAheadBlock);
            if (!masks.TryGetValue(key, out var mask))
            {
                mask = DiTMath.BlockMask(length, Config.BlockSize, key.Item1, key.Item2, h.device);
                masks[key] = mask;
            }
            h = block.forward(h, timeEmbedding, cos, sin, mask);
        }
        return proj_out.forward(norm_out.forward(h, timeEmbedding)).MoveToOuterDisposeScope();
    }
}
