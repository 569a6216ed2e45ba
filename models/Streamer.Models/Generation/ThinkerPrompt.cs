using Streamer.Models.Qwen25Omni;
using TorchSharp;
using static TorchSharp.torch;

namespace Streamer.Models.Generation;

/// <summary>
/// What the first forward of a generation consumes: token ids or ready embeddings (with encoder
/// rows scattered in), TMRoPE position ids [3, B, L], rope deltas [B, 1] for the decode steps,
/// and the 0/1 attention mask [B, L] (null when no row is left-padded). The prompt does not own
/// these tensors.
/// </summary>
public sealed record ThinkerPrompt(Tensor? InputIds, Tensor? InputsEmbeds, Tensor PositionIds, Tensor RopeDeltas, Tensor? AttentionMask)
{
    public long BatchSize => (InputIds ?? InputsEmbeds)!.shape[0];

    public long Length => (InputIds ?? InputsEmbeds)!.shape[1];

    /// <summary>
    /// The ids behind <see cref="InputsEmbeds"/> (encoder placeholders included) when the prompt is
    /// given as embeddings; the talker's text track reads them. The thinker itself never does.
    /// </summary>
    public Tensor? EmbeddedIds { get; init; }

    /// <summary>
    /// A text prompt; positions and deltas come from <see cref="Qwen25OmniRopeIndex.GetRopeIndex"/>.
    /// The returned position/delta tensors must be disposed by the caller (see <see cref="OwnedText"/>).
    /// </summary>
    public static OwnedPrompt OwnedText(Qwen25OmniThinkerConfig config, Tensor inputIds, Tensor? attentionMask = null)
    {
        var (pos, deltas) = Qwen25OmniRopeIndex.GetRopeIndex(config, inputIds, attentionMask: attentionMask);
        return new OwnedPrompt(new ThinkerPrompt(inputIds, null, pos, deltas, attentionMask), pos, deltas);
    }
}

/// <summary>A prompt together with the tensors built for it, disposed together.</summary>
public sealed record OwnedPrompt(ThinkerPrompt Prompt, params Tensor[] Owned) : IDisposable
{
    public void Dispose()
    {
        foreach (var t in Owned)
        {
            t.Dispose();
        }
    }
}
