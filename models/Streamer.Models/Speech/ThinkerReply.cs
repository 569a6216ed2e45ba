using static TorchSharp.torch;

namespace Streamer.Models.Speech;

/// <summary>
/// What the thinker produced for one answer and the talker needs (batch 1): the prompt ids,
/// the embeddings its prefill consumed and their final-norm hidden states, and the generated
/// tokens fed back to the thinker (all but the last) with their hidden states. The grids are
/// the prompt's, since the talker's rope index follows the same layout. The reply does not own
/// its tensors.
/// </summary>
public sealed record ThinkerReply(Tensor PromptIds, Tensor PromptEmbeds, Tensor PromptHidden, Tensor ReplyIds, Tensor ReplyHidden)
{
    public Tensor? AttentionMask { get; init; }

    public Tensor? ImageGridThw { get; init; }

    public Tensor? VideoGridThw { get; init; }

    public Tensor? AudioSeqlens { get; init; }

    public Tensor? SecondPerGrids { get; init; }

    public bool UseAudioInVideo { get; init; }
}
