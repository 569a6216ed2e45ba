using Streamer.Models.Qwen25Omni;
using static TorchSharp.torch;

namespace Streamer.Models.Generation;

/// <summary>
/// What the thinker hands the talker for one reply (batch 1), as the reference's
/// <c>Qwen2_5OmniForConditionalGeneration.generate</c> builds it:
/// <list type="bullet">
/// <item><see cref="InputsEmbeds"/> [1, L+2, embedding]: prompt embeddings (multimodal rows zeroed) +
/// the thinker's final hidden states, then the speaker bos embedding, then the first reply token's
/// embedding + hidden state. The codec pad/bos embeddings are NOT yet added; the prefill does that.</item>
/// <item><see cref="InputTextIds"/> [1, L+2]: prompt ids + speaker bos + first reply token, only for the rope index.</item>
/// <item><see cref="ThinkerReplyPart"/> [1, N, embedding]: the rows added to the codec embedding at
/// decode step 1, 2, ...; the last row (text pad) is reused once the others are spent.</item>
/// </list>
/// The grids, audio lengths and seconds per grid are the thinker prompt's, since the talker's
/// positions follow the same layout. The prompt does not own its tensors.
/// </summary>
public sealed record TalkerPrompt(Tensor InputsEmbeds, Tensor InputTextIds, Tensor ThinkerReplyPart)
{
    /// <summary>0/1 [1, L+2]; null means no padding.</summary>
    public Tensor? AttentionMask { get; init; }

    public Tensor? ImageGridThw { get; init; }

    public Tensor? VideoGridThw { get; init; }

    /// <summary>Mel frame count per audio (feature_attention_mask.sum(-1)).</summary>
    public Tensor? AudioSeqlens { get; init; }

    public Tensor? SecondPerGrids { get; init; }

    public bool UseAudioInVideo { get; init; }

    public long Length => InputsEmbeds.shape[1];

    /// <summary>
    /// The codec ids the reference passes as the talker's input_ids: codec mask for every prompt
    /// row, then codec pad and codec bos for the last two. They never reach the model (the prefill
    /// takes embeddings) but the repetition penalty counts them.
    /// </summary>
    public static long[] CodecPrefix(Qwen25OmniTalkerConfig config, long length)
    {
        if (length < 2)
        {
            throw new ArgumentException($"a talker prompt has at least 2 rows (speaker bos and first reply token), got {length}");
        }
        var ids = new long[length];
        Array.Fill(ids, config.TtsCodecMaskTokenId);
        ids[^2] = config.TtsCodecPadTokenId;
        ids[^1] = config.TtsCodecStartTokenId;
        return ids;
    }
}
