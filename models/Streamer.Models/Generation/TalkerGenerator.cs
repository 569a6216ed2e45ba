using System.Runtime.CompilerServices;
using Streamer.Models.Qwen25Omni;
using TorchSharp;
using static TorchSharp.torch;

namespace Streamer.Models.Generation;

/// <summary>
/// Codec generation with the talker for one reply: the prefill over the thinker's prompt rows,
/// then one code per step with the caller's <see cref="KvCache"/>. Step k (k ≥ 1) feeds the
/// embedding of code k-1 plus thinker reply row k-1 (the last row, the text pad, once the others
/// are spent), at position cache_length + rope_delta on all three axes.
/// </summary>
public sealed class TalkerGenerator(Qwen25OmniTalker talker)
{
    /// <summary>Runs a reply to its stop code or length limit.</summary>
    public TalkerGenerationResult Generate(TalkerPrompt prompt, TalkerGenerationOptions options, KvCache cache)
    {
        var codes = new List<long>();
        var logits = new List<Tensor>();
        long? stop = null;
        try
        {
            foreach (var step in Steps(prompt, options, cache, CancellationToken.None))
            {
                if (step.Logits is not null)
                {
                    logits.Add(step.Logits);
                }
                if (step.IsStop)
                {
                    stop = step.Code;
                }
                else
                {
                    codes.Add(step.Code);
                }
            }
            var stacked = logits.Count > 0 ? stack(logits) : null;
            return new TalkerGenerationResult(codes.ToArray(), stop, stacked);
        }
        finally
        {
            foreach (var t in logits)
            {
                t.Dispose();
            }
        }
    }

    /// <summary>Streams the codes as they are produced; the stop code ends the stream without being emitted.</summary>
    public async IAsyncEnumerable<int> StreamAsync(TalkerPrompt prompt, TalkerGenerationOptions options, KvCache cache,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var step in Steps(prompt, options with { RecordStepLogits = false }, cache, cancellationToken))
        {
            if (step.IsStop)
            {
                yield break;
            }
            yield return (int)step.Code;
            // Decoding is compute-bound; yielding lets the consumer pass each code on before the next step.
            await Task.Yield();
        }
    }

    /// <summary>
    /// Streams the codes of a reply the thinker is still generating: the prefill starts once the
    /// first reply token exists, and step k waits for reply token k (or the end of the reply), so
    /// the talker runs right behind the thinker and produces the codes of the offline path.
    /// </summary>
    public async IAsyncEnumerable<int> StreamAsync(TalkerReplyFeed feed, long speakerBosTokenId, TalkerGenerationOptions options, KvCache cache,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(feed);
        if (!await feed.WaitForAsync(1, cancellationToken).ConfigureAwait(false))
        {
            // The thinker stopped before feeding back a token: nothing to speak.
            yield break;
        }
        var prompt = BuildDetached(feed, speakerBosTokenId);
        try
        {
            using var steps = Steps(prompt, options with { RecordStepLogits = false }, cache, cancellationToken,
                index => feed.ReplyRow(index, prompt.ThinkerReplyPart)).GetEnumerator();
            for (var step = 0; ; step++)
            {
                // Step k adds reply row k-1, which is reply token k; no dispose scope is open here.
                if (step > 0) await feed.WaitForAsync(step + 1, cancellationToken).ConfigureAwait(false);
                if (!steps.MoveNext() || steps.Current.IsStop)
                {
                    yield break;
                }
                yield return (int)steps.Current.Code;
                await Task.Yield();
            }
        }
        finally
        {
            prompt.InputsEmbeds.Dispose();
            prompt.InputTextIds.Dispose();
            prompt.ThinkerReplyPart.Dispose();
            prompt.AttentionMask?.Dispose();
        }
    }

    private TalkerPrompt BuildDetached(TalkerReplyFeed feed, long speakerBosTokenId)
    {
        using var scope = NewDisposeScope();
        var prompt = feed.BuildPrompt(talker.Config, speakerBosTokenId);
        prompt.InputsEmbeds.DetachFromDisposeScope();
        prompt.InputTextIds.DetachFromDisposeScope();
        prompt.ThinkerReplyPart.DetachFromDisposeScope();
        prompt.AttentionMask?.DetachFromDisposeScope();
        return prompt;
    }

    private readonly record struct Step(long Code, bool IsStop, Tensor? Logits);

    private IEnumerable<Step> Steps(TalkerPrompt prompt, TalkerGenerationOptions options, KvCache cache, CancellationToken ct,
        Func<int, Tensor>? replyRow = null)
    {
        var config = talker.Config;
        var stopCodes = (options.StopCodes ?? [config.TtsCodecPadTokenId, config.TtsCodecEndTokenId]).ToArray();
        var suppress = (options.SuppressCodes ?? [config.TtsCodecStartTokenId]).ToArray();
        Validate(prompt, options, cache, stopCodes, suppress, config.VocabSize);

        var seen = new HashSet<long>(TalkerPrompt.CodecPrefix(config, prompt.Length));
        var device = talker.Device;
        var replyRows = prompt.ThinkerReplyPart.shape[1];
        Tensor? mask = null;
        Tensor? deltas = null;
        Tensor? reply = null;
        try
        {
            using (NewDisposeScope())
            {
                mask = prompt.AttentionMask?.to(ScalarType.Int64).to(device).clone().DetachFromDisposeScope();
                reply = prompt.ThinkerReplyPart.to(talker.DType, device).clone().DetachFromDisposeScope();
            }
            long previous = -1;
            for (var step = 0; step < options.MaxNewTokens; step++)
            {
                ct.ThrowIfCancellationRequested();
                Step result;
                using (var scope = NewDisposeScope())
                {
                    Tensor logits;
                    if (step == 0)
                    {
                        var prefill = talker.Prefill(prompt with { AttentionMask = mask }, cache, logitsToKeep: 1);
                        logits = prefill.Logits;
                        deltas = prefill.RopeDeltas.to(device).DetachFromDisposeScope();
                    }
                    else
                    {
                        var row = replyRow is null
                            ? reply.narrow(1, Math.Min(step - 1, replyRows - 1), 1)
                            : replyRow(step - 1).to(talker.DType, device);
                        var embeds = talker.Embed(tensor(new[] { previous }, [1, 1])) + row;
                        var positions = Qwen25OmniRopeIndex.DecodePositions(deltas!, cache.Length, 1);
                        logits = talker.forward(embeds, positions, mask, cache, logitsToKeep: 1);
                    }
                    var raw = logits.select(1, -1).squeeze(0).cpu();
                    var scores = raw.data<float>().ToArray();
                    CodecLogitsProcessor.ApplyRepetitionPenalty(scores, seen, options.RepetitionPenalty);
                    if (step < options.MinNewTokens)
                    {
                        CodecLogitsProcessor.Mask(scores, stopCodes);
                    }
                    CodecLogitsProcessor.Mask(scores, suppress);
                    long code = CodecLogitsProcessor.ArgMax(scores);
                    result = new Step(code, stopCodes.Contains(code), options.RecordStepLogits ? raw.MoveToOuterDisposeScope() : null);

                    if (mask is not null)
                    {
                        var grown = cat([mask, ones(1, 1, ScalarType.Int64, device)], 1).DetachFromDisposeScope();
                        mask.Dispose();
                        mask = grown;
                    }
                }
                seen.Add(result.Code);
                previous = result.Code;
                yield return result;
                if (result.IsStop)
                {
                    yield break;
                }
            }
        }
        finally
        {
            mask?.Dispose();
            deltas?.Dispose();
            reply?.Dispose();
        }
    }

    private static void Validate(TalkerPrompt prompt, TalkerGenerationOptions options, KvCache cache,
        long[] stopCodes, long[] suppress, int vocab)
    {
        if (prompt.InputsEmbeds.shape[0] != 1)
        {
            throw new ArgumentException("the talker generates one reply at a time (batch 1)");
        }
        if (prompt.ThinkerReplyPart.dim() != 3 || prompt.ThinkerReplyPart.shape[1] < 1)
        {
            throw new ArgumentException("thinker_reply_part must be [1, N ≥ 1, embedding] (it ends with the text pad row)");
        }
        if (cache.Length != 0)
        {
            throw new ArgumentException($"the prefill starts a reply, but the cache already holds {cache.Length} positions");
        }
        if (options.MinNewTokens < 0 || options.MaxNewTokens < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "token counts must not be negative");
        }
        foreach (var id in stopCodes.Concat(suppress))
        {
            if (id < 0 || id >= vocab)
            {
                throw new ArgumentOutOfRangeException(nameof(options), id, $"codec id outside the talker vocabulary [0, {vocab})");
            }
        }
    }
}
