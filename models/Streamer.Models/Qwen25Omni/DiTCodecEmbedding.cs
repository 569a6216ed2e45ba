using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streamer.Models.Qwen25Omni;

/// <summary>
/// DiTCodecEmbedding (<c>text_embed</c>): talker codes -> embeddings, each repeated <c>repeats</c>
/// times along time so one code covers that many mel frames. Dropping the codes (the
/// unconditional branch of guidance) embeds code 0 everywhere.
/// </summary>
public sealed class DiTCodecEmbedding : nn.Module<Tensor, bool, Tensor>
{
    public readonly Embedding codec_embed;
    private readonly int _repeats;

    public DiTCodecEmbedding(int numEmbeds, int dim, int repeats) : base(nameof(DiTCodecEmbedding))
    {
        // One row more than num_embeds, as in the checkpoint.
        codec_embed = nn.Embedding(numEmbeds + 1, dim);
        _repeats = repeats;
        RegisterComponents();
    }

    /// <param name="codes">[B, N] int64</param>
    /// <returns>[B, N * repeats, dim]</returns>
    public override Tensor forward(Tensor codes, bool dropCode)
    {
        using var scope = NewDisposeScope();
        var ids = dropCode ? zeros_like(codes) : codes;
        return codec_embed.forward(ids).repeat_interleave(_repeats, 1).MoveToOuterDisposeScope();
    }
}
