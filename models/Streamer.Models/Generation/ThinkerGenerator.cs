using System.Runtime.CompilerServices;
using Streamer.Models.Qwen25Omni;
using TorchSharp;
using static TorchSharp.torch;

namespace Streamer.Models.Generation;

/// <summary>
/// Autoregressive decoding with the thinker: one prompt forward, then one token per step with the
/// caller's <see cref="KvCache"/>, positions cache_length + rope_delta on all three axes (as the
/// reference does after a multimodal prefill). Batches use left padding and an attention mask
/// that grows by one column per step; a padded row's decode positions continue from its own
/// last position, so a batch generates what each sequence generates alone.
/// </summary>
public sealed class ThinkerGenerator(Qwen25OmniThinker thinker)
{
    /// <summary>Runs to completion for a batch.</summary>
    public GenerationResult Generate(ThinkerPrompt prompt, GenerationOptions options, KvCache cache)
    {
        var batch = (int)prompt.BatchSize;
        var rows = Enumerable.Range(0, batch).Select(_ => new List<long>()).ToArray();
        var logits = new List<Tensor>();
        try
        {
            foreach (var (tokens, stepLogits) in Steps(prompt, options, cache, CancellationToken.None))
            {
                for (var b = 0; b < batch; b++)
                {
                    rows[b].Add(tokens[b]);
                }
                if (stepLogits is not null)
                {
                    logits.Add(stepLogits);
                }
            }
            var stacked = logits.Count > 0 ? stack(logits) : null;
            return new GenerationResult(rows.Select(r => r.ToArray()).ToArray(), stacked);
        }
        finally
        {
            foreach (var t in logits)
            {
                t.Dispose();
            }
        }
    }

    /// <summary>Streams the tokens of a single sequence as they are produced.</summary>
    public IAsyncEnumerable<int> StreamAsync(ThinkerPrompt prompt, GenerationOptions options, KvCache cache,
        CancellationToken cancellationToken = default) => StreamAsync(prompt, options, cache, null, cancellationToken);

    /// <summary>
    /// Streams the tokens of a single sequence as they are produced. With a <paramref name="talkerFeed"/>,
    /// the prompt's embeddings and hidden states and every fed-back token's hidden state go to it as
    /// they are computed, and it is completed when the stream ends, so a talker can speak along.
    /// </summary>
    public async IAsyncEnumerable<int> StreamAsync(ThinkerPrompt prompt, GenerationOptions options, KvCache cache,
        TalkerReplyFeed? talkerFeed, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (prompt.BatchSize != 1)
        {
            throw new ArgumentException("streaming takes one sequence; use Generate for a batch");
        }
        try
        {
            foreach (var (tokens, stepLogits) in Steps(prompt, options with { RecordStepLogits = false }, cache, cancellationToken, talkerFeed))
            {
                stepLogits?.Dispose();
                yield return (int)tokens[0];
                // Decoding is compute-bound; yielding lets the consumer forward each token before the next step.
                await Task.Yield();
            }
        }
        finally
        {
            talkerFeed?.Complete();
        }
    }

    private IEnumerable<(long[] Tokens, Tensor? Logits)> Steps(ThinkerPrompt prompt, GenerationOptions options, KvCache cache, CancellationToken ct,
        TalkerReplyFeed? talkerFeed = null)
    {
        var batch = (int)prompt.BatchSize;
        var done = new bool[batch];
        using var generator = options.DoSample ? new Generator(options.Seed, CPU) : null;
        var device = thinker.Device;
        Tensor deltas;
        Tensor? mask;
        using (NewDisposeScope())
        {
            mask = prompt.AttentionMask?.to(ScalarType.Int64).to(device).clone().DetachFromDisposeScope();
            var d = prompt.RopeDeltas.to(ScalarType.Int64).to(device).view(-1, 1);
            if (mask is not null)
            {
                // The reference's deltas count only unpadded tokens while the cache length counts
                // padding too, which would shift a left-padded row's decode positions by its pad
                // count; subtracting it makes every row continue exactly as it would alone.
                d = d - (prompt.Length - mask.sum(-1, keepdim: true));
            }
            deltas = d.clone().DetachFromDisposeScope();
        }
        Tensor? next = null;
        try
        {
            for (var step = 0; step < options.MaxNewTokens; step++)
            {
                ct.ThrowIfCancellationRequested();
                long[] tokens;
                Tensor? recorded;
                using (var scope = NewDisposeScope())
                {
                    ThinkerOutput output;
                    if (step == 0)
                    {
                        output = thinker.forward(prompt.InputIds, prompt.InputsEmbeds, prompt.PositionIds, mask, cache, logitsToKeep: 1);
                        if (talkerFeed is not null)
                        {
                            var ids = prompt.InputIds ?? prompt.EmbeddedIds
                                ?? throw new ArgumentException("a talker feed needs the prompt's input ids (EmbeddedIds for a prompt given as embeddings)");
                            talkerFeed.SetPrompt(ids, prompt.InputsEmbeds ?? thinker.Embed(ids), output.LastHiddenState);
                        }
                    }
                    else
                    {
                        var pos = Qwen25OmniRopeIndex.DecodePositions(deltas, cache.Length, 1);
                        output = thinker.forward(next, null, pos, mask, cache, logitsToKeep: 1);
                        talkerFeed?.Append(next!.cpu().item<long>(), output.LastHiddenState);
                    }
                    var last = output.Logits.select(1, -1).to_type(ScalarType.Float32).cpu();
                    var chosen = options.DoSample ? Sample(last, options, generator!) : last.argmax(-1);
                    tokens = chosen.data<long>().ToArray();
                    for (var b = 0; b < batch; b++)
                    {
                        if (done[b])
                        {
                            tokens[b] = options.PadTokenId;
                        }
                        else if (options.StopTokenIds.Contains(tokens[b]))
                        {
                            done[b] = true;
                        }
                    }
                    recorded = options.RecordStepLogits ? last.MoveToOuterDisposeScope() : null;

                    next?.Dispose();
                    next = tensor(tokens, [batch, 1]).to(device).DetachFromDisposeScope();
                    if (mask is not null)
                    {
                        var grown = cat([mask, ones(batch, 1, ScalarType.Int64, device)], 1).DetachFromDisposeScope();
                        mask.Dispose();
                        mask = grown;
                    }
                }
                yield return (tokens, recorded);
                if (done.All(d => d))
                {
                    yield break;
                }
            }
        }
        finally
        {
            next?.Dispose();
            mask?.Dispose();
            deltas.Dispose();
        }
    }

    /// <summary>Temperature, top-k, top-p, then one multinomial draw per row; logits [B, V] float32 on the CPU.</summary>
    internal static Tensor Sample(Tensor logits, GenerationOptions options, Generator generator)
    {
        using var scope = NewDisposeScope();
        var scores = options.Temperature != 1.0 ? logits / options.Temperature : logits;
        if (options.TopK > 0 && options.TopK < scores.shape[^1])
        {
            var kth = scores.topk(options.TopK).values.narrow(-1, options.TopK - 1, 1);
            scores = scores.masked_fill(scores.lt(kth), double.NegativeInfinity);
        }
        if (options.TopP < 1.0)
        {
            var (sorted, indices) = scores.sort(-1, descending: false);
            var cumulative = sorted.softmax(-1).cumsum(-1);
            var remove = cumulative.le(1.0 - options.TopP);
            // Always keep the most likely token.
            remove.select(-1, -1).fill_(false);
            var unsorted = remove.scatter(-1, indices, remove);
            scores = scores.masked_fill(unsorted, double.NegativeInfinity);
        }
        var probs = scores.softmax(-1);
        return multinomial(probs, 1, false, generator).squeeze(-1).MoveToOuterDisposeScope();
    }
}
