using Streamer.Models.Qwen25Omni;
using TorchSharp;
using static TorchSharp.torch;

namespace Streamer.Models.Generation;

/// <summary>
/// Turns a finished (or running) thinker reply into the talker's prompt, as the reference's
/// <c>Qwen2_5OmniForConditionalGeneration.generate</c> does: every thinker row becomes
/// embedding + final hidden state (image, video and audio placeholder rows keep only the hidden
/// state), the prompt is followed by the speaker's bos embedding and the first reply token, and
/// the later reply tokens, then the text eos and text pad embeddings, wait in the reply part.
/// </summary>
public static class TalkerPromptBuilder
{
    /// <param name="thinker">supplies the token embeddings and the placeholder ids.</param>
    /// <param name="talkerConfig">supplies the text eos/pad ids.</param>
    /// <param name="promptIds">[1, L] the thinker prompt (placeholders expanded).</param>
    /// <param name="promptEmbeds">[1, L, H] what the thinker's prefill consumed.</param>
    /// <param name="promptHidden">[1, L, H] the thinker's final-norm hidden states of the prompt.</param>
    /// <param name="replyIds">[1, M ≥ 1] the generated tokens that were fed back to the thinker (all but the last).</param>
    /// <param name="replyHidden">[1, M, H] their final-norm hidden states.</param>
    /// <param name="speakerBosTokenId">the voice's bos token (a thinker vocabulary id).</param>
    /// <param name="attentionMask">[1, L] the prompt's mask, or null for none.</param>
    /// <returns>A prompt whose tensors belong to the caller's dispose scope; set the grids with <c>with</c>.</returns>
    public static TalkerPrompt Build(
        Qwen25OmniThinker thinker,
        Qwen25OmniTalkerConfig talkerConfig,
        Tensor promptIds,
        Tensor promptEmbeds,
        Tensor promptHidden,
        Tensor replyIds,
        Tensor replyHidden,
        long speakerBosTokenId,
        Tensor? attentionMask = null)
    {
        if (promptIds.shape[0] != 1 || replyIds.shape[0] != 1)
        {
            throw new ArgumentException("the talker takes one reply at a time (batch 1)");
        }
        if (replyIds.shape[1] < 1 || replyHidden.shape[1] != replyIds.shape[1])
        {
            throw new ArgumentException($"need at least one fed-back reply token with a hidden state each, got {replyIds.shape[1]} ids and {replyHidden.shape[1]} states");
        }
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var device = thinker.Device;
        var ids = promptIds.to(ScalarType.Int64).to(device);
        var config = thinker.Config;
        var placeholder = ids.eq(config.ImageTokenIndex).logical_or(ids.eq(config.VideoTokenIndex)).logical_or(ids.eq(config.AudioTokenIndex));
        var prompt = promptEmbeds.to(device).masked_fill(placeholder.unsqueeze(-1), 0) + promptHidden.to(device);

        var reply = thinker.Embed(replyIds) + replyHidden.to(device);
        var special = thinker.Embed(tensor(new[] { speakerBosTokenId, talkerConfig.TtsTextEndTokenId, talkerConfig.TtsTextPadTokenId }, [1, 3]));
        var inputsEmbeds = cat([prompt, special.narrow(1, 0, 1), reply.narrow(1, 0, 1)], 1);
        var replyPart = cat([reply.narrow(1, 1, reply.shape[1] - 1), special.narrow(1, 1, 2)], 1);

        var firstReply = replyIds.to(ScalarType.Int64).to(device).narrow(1, 0, 1);
        var textIds = cat([ids, tensor(new[] { speakerBosTokenId }, [1, 1]).to(device), firstReply], 1);
        var mask = attentionMask is null
            ? ones(1, textIds.shape[1], ScalarType.Int64, device)
            : cat([attentionMask.to(ScalarType.Int64).to(device), ones(1, 2, ScalarType.Int64, device)], 1);

        return new TalkerPrompt(inputsEmbeds.MoveToOuterDisposeScope(), textIds.MoveToOuterDisposeScope(), replyPart.MoveToOuterDisposeScope())
        {
            AttentionMask = mask.MoveToOuterDisposeScope(),
        };
    }
}
