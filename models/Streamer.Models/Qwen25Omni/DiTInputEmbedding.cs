using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streamer.Models.Qwen25Omni;

/// <summary>
/// DiTInputEmbedding (<c>input_embed</c>): the noisy mel, the speaker-encoder vector of the
/// reference mel (repeated over time), the code embeddings and the speaker embedding are joined
/// and projected to the model width. With guidance the batch is doubled: row 0 conditional, row 1
/// with speaker embedding and reference mel zeroed and the unconditional code embeddings.
/// </summary>
public sealed class DiTInputEmbedding : nn.Module
{
    public readonly Linear proj;
    public readonly DiTSpeakerEncoder spk_encoder;

    public DiTInputEmbedding(Qwen25OmniDiTConfig config) : base(nameof(DiTInputEmbedding))
    {
        proj = nn.Linear(config.InputWidth, config.HiddenSize);
        spk_encoder = new DiTSpeakerEncoder(config);
        RegisterComponents();
    }

    /// <param name="x">noisy mel [B, T, mel_dim]</param>
    /// <param name="speakerEmbedding">[B, T, enc_emb_dim]</param>
    /// <param name="referenceMel">[B, T_ref, mel_dim]</param>
    /// <param name="codeEmbed">[B, T, emb_dim]</param>
    /// <param name="codeEmbedUncond">[B, T, emb_dim], required when <paramref name="applyCfg"/></param>
    public Tensor forward(Tensor x, Tensor speakerEmbedding, Tensor referenceMel, Tensor codeEmbed,
        bool dropAudioCond, Tensor? codeEmbedUncond, bool applyCfg)
    {
        using var scope = NewDisposeScope();
        if (applyCfg)
        {
            ArgumentNullException.ThrowIfNull(codeEmbedUncond);
            x = cat([x, x], 0);
            speakerEmbedding = cat([speakerEmbedding, zeros_like(speakerEmbedding)], 0);
            referenceMel = cat([referenceMel, zeros_like(referenceMel)], 0);
            codeEmbed = cat([codeEmbed, codeEmbedUncond], 0);
        }
        else if (dropAudioCond)
        {
            referenceMel = zeros_like(referenceMel);
            speakerEmbedding = zeros_like(speakerEmbedding);
        }
        var speaker = spk_encoder.forward(referenceMel).unsqueeze(1).expand(-1, x.shape[1], -1);
        return proj.forward(cat([x, speaker, codeEmbed, speakerEmbedding], -1)).MoveToOuterDisposeScope();
    }
}
