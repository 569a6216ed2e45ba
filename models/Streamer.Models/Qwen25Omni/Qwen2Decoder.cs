using Streamer.Models.Generation;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streamer.Models.Qwen25Omni;

/// <summary>
/// The thinker's language model (<c>thinker.model</c>): embed_tokens, decoder layers with M-RoPE,
/// final norm. It takes either token ids or ready embeddings (with vision/audio rows already
/// scattered in), 3-axis position ids [3, B, L], an optional 0/1 attention mask [B, past + L]
/// and an optional cache that it appends to.
/// </summary>
public sealed class Qwen2Decoder : nn.Module
{
    public readonly Embedding embed_tokens;
    public readonly ModuleList<Qwen2DecoderLayer> layers;
    public readonly Qwen2RmsNorm norm;
    private readonly Qwen25OmniTextConfig _config;

    /// <param name="config">the decoder stack's sizes.</param>
    /// <param name="embeddingSize">
    /// Width of <c>embed_tokens</c> when it differs from hidden_size: the talker's codec embeddings
    /// live in the thinker's space and reach the layers through a projection, so only ready
    /// embeddings of hidden_size enter <see cref="forward"/> then.
    /// </param>
    public Qwen2Decoder(Qwen25OmniTextConfig config, int? embeddingSize = null) : base(nameof(Qwen2Decoder))
    {
        _config = config;
        EmbeddingSize = embeddingSize ?? config.HiddenSize;
        embed_tokens = nn.Embedding(config.VocabSize, EmbeddingSize);
        layers = nn.ModuleList(Enumerable.Range(0, config.NumHiddenLayers).Select(i => new Qwen2DecoderLayer(config, i)).ToArray());
        norm = new Qwen2RmsNorm(config.HiddenSize, config.RmsNormEps);
        RegisterComponents();
    }

    public Qwen25OmniTextConfig Config => _config;

    public int EmbeddingSize { get; }

    /// <summary>Returns the final-norm hidden states [B, L, hidden]; <paramref name="probe"/> sees every layer's queries and keys.</summary>
    public Tensor forward(Tensor? inputIds, Tensor? inputsEmbeds, Tensor positionIds, Tensor? attentionMask, KvCache? cache, IAttentionProbe? probe = null)
    {
        if ((inputIds is null) == (inputsEmbeds is null))
        {
            throw new ArgumentException("pass exactly one of inputIds and inputsEmbeds");
        }
        if (inputIds is not null && EmbeddingSize != _config.HiddenSize)
        {
            throw new ArgumentException($"embed_tokens is {EmbeddingSize} wide but the layers take {_config.HiddenSize}: project the embeddings and pass inputsEmbeds");
        }
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var h = inputsEmbeds ?? embed_tokens.forward(inputIds!);
        var (b, l) = (h.shape[0], h.shape[1]);
        var past = cache?.Length ?? 0;

        var (cos3, sin3) = TransformerMath.MultimodalRotaryTables(positionIds.to(h.device), _config.HeadDim, _config.RopeTheta, h.dtype);
        var cos = TransformerMath.SelectMultimodalSections(cos3, _config.MropeSection);
        var sin = TransformerMath.SelectMultimodalSections(sin3, _config.MropeSection);
        var mask = BuildMask(attentionMask, b, l, past, h.dtype, h.device);

        foreach (var layer in layers)
        {
            h = layer.forward(h, cos, sin, mask, cache, probe);
        }
        return norm.forward(h).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Additive mask [B, 1, L, past + L]: 0 where query i may see key j (j ≤ past + i and the key is
    /// not padding), the dtype's minimum elsewhere. A finite minimum keeps fully padded query rows
    /// uniform instead of NaN, so padding never poisons later layers. Null when plain causal
    /// attention is exact (no padding and no cached prefix longer than one query).
    /// </summary>
    internal static Tensor? BuildMask(Tensor? attentionMask, long batch, long length, long past, ScalarType dtype, Device device)
    {
        if (attentionMask is null && (past == 0 || length == 1))
        {
            return null;
        }
        using var scope = NewDisposeScope();
        var total = past + length;
        var q = arange(past, total, ScalarType.Int64, device).view(length, 1);
        var k = arange(0, total, ScalarType.Int64, device).view(1, total);
        var allowed = k.le(q).view(1, 1, length, total);
        if (attentionMask is not null)
        {
            if (attentionMask.shape[1] != total)
            {
                throw new ArgumentException($"attention mask covers {attentionMask.shape[1]} positions, expected past + length = {total}");
            }
            allowed = allowed.logical_and(attentionMask.to(device).ne(0).view(batch, 1, 1, total));
        }
        else
        {
            allowed = allowed.expand(batch, 1, length, total);
        }
        var min = finfo(dtype).min;
        return zeros(allowed.shape, dtype, device).masked_fill(allowed.logical_not(), min).MoveToOuterDisposeScope();
    }
}
