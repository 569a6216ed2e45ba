using Streamer.KvStore;
using Streamer.Models.Generation;
using Streamer.Models.Qwen25Omni;
using TorchSharp;
using static TorchSharp.torch;

namespace Streamer.Models.Memory;

/// <summary>
/// ReKV question answering over a <see cref="StreamingVideoMemory"/>: the question is first run
/// over sink + recent window to read each layer's mean (pre-rotary) query; every stored block is
/// scored by cosine similarity between that query and the block's retrieval key, per layer and
/// averaged over layers (one block set serves every layer); the top-k blocks are leased, loaded
/// from whatever tier holds them and put back in time order; and the answer is decoded over
/// sink + retrieved + window + question, every key at its original rotary position.
/// </summary>
public sealed class ReKVRetriever(StreamingVideoMemory memory)
{
    private readonly Qwen25OmniThinker _thinker = memory.Thinker;

    /// <summary>
    /// The question's mean query per layer ([layers][kvHeads * headDim]): a forward of
    /// <paramref name="questionIds"/> [1, Lq] over sink + window at the positions it would take,
    /// which leaves the memory as it was.
    /// </summary>
    public float[][] MeanQuery(Tensor questionIds)
    {
        CheckQuestion(questionIds);
        lock (memory.Gate)
        {
            return MeanQueryLocked(questionIds, embedded: false);
        }
    }

    /// <summary>Retrieves for the question and builds the answer cache and prompt.</summary>
    public ReKVContext Retrieve(Tensor questionIds, ReKVQuery? query = null)
    {
        CheckQuestion(questionIds);
        return RetrieveCore(questionIds, embedded: false, query);
    }

    /// <summary>
    /// Retrieves for a question given as embeddings [1, Lq, hidden] (a spoken question: its
    /// audio encoder rows scattered into the audio placeholders), queried and decoded exactly
    /// like token ids; the positions run on from the stream as text does.
    /// </summary>
    public ReKVContext RetrieveEmbedded(Tensor questionEmbeds, ReKVQuery? query = null)
    {
        CheckEmbeddedQuestion(questionEmbeds);
        return RetrieveCore(questionEmbeds, embedded: true, query);
    }

    private ReKVContext RetrieveCore(Tensor question, bool embedded, ReKVQuery? query)
    {
        query ??= new ReKVQuery();
        var options = memory.Options;
        var topKFrames = query.TopKFrames ?? options.TopKFrames;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(topKFrames);
        var k = Math.Max(1, topKFrames / memory.FramesPerBlock);
        lock (memory.Gate)
        {
            if (memory.SinkLength < 0)
            {
                throw new InvalidOperationException("the memory has no sink yet");
            }
            var window = query.IncludeRecentWindow ? memory.WindowBlocks : [];
            IReadOnlyList<KvBlockMatch> chosen = [];
            var index = memory.Store.GetIndex(memory.SessionId);
            if (index is not null && index.Count > 0)
            {
                var mean = MeanQueryLocked(question, embedded);
                var flat = mean.SelectMany(m => m).ToArray();
                chosen = index.TopK(flat, k, new KvTopKOptions
                {
                    SmoothingRadius = query.AveragingRadius ?? options.AveragingRadius,
                    TimeOrder = true,
                    BeforeSequence = window.Count > 0 ? window[0].Id.Sequence : null,
                });
            }
            return Build(question, chosen, window, embedded: embedded);
        }
    }

    /// <summary>Retrieves and decodes an answer (greedy unless the options sample).</summary>
    public GenerationResult Answer(Tensor questionIds, GenerationOptions generation, ReKVQuery? query = null)
    {
        using var context = Retrieve(questionIds, query);
        return new ThinkerGenerator(_thinker).Generate(context.Prompt, generation, context.Cache);
    }

    private float[][] MeanQueryLocked(Tensor question, bool embedded)
    {
        using var scope = NewDisposeScope();
        var working = memory.Working;
        var past = working.Length;
        var probe = new MeanProjectionProbe(_thinker.TextConfig.NumHiddenLayers, _thinker.TextConfig.NumKeyValueHeads, recordQueries: true);
        try
        {
            using var _ = _thinker.forward(embedded ? null : question, embedded ? question : null, QuestionPositions(question.shape[1]), null, working,
                logitsToKeep: 1, probe: probe);
        }
        finally
        {
            working.Truncate(past);
        }
        return probe.Means();
    }

    /// <summary>
    /// Loads <paramref name="chosen"/> (time order) and builds sink + <paramref name="synopsis"/>
    /// (per layer keys and values [1, kvHeads, n, headDim], rotary applied, when given) + chosen +
    /// window. Call under the memory's lock. <paramref name="embedded"/>: the question is embeddings, not ids.
    /// </summary>
    internal ReKVContext Build(Tensor questionIds, IReadOnlyList<KvBlockMatch> chosen, IReadOnlyList<MemoryBlock> window,
        (Tensor[] Keys, Tensor[] Values)? synopsis = null, bool embedded = false)
    {
        var text = _thinker.TextConfig;
        var layers = text.NumHiddenLayers;
        var loaded = new List<DeviceBlockRental>();
        var retrieved = new List<KvBlockMatch>();
        var missing = new List<KvBlockId>();
        var cache = new KvCache(layers);
        try
        {
            using (memory.Store.Lease(chosen.Select(m => m.Id)))
            {
                foreach (var match in chosen)
                {
                    // The device tier serves blocks a recent question already uploaded; the rest come from the store.
                    if (memory.DeviceTier.Rent(match.Id, () => Load(match.Id)) is { } rental)
                    {
                        loaded.Add(rental);
                        retrieved.Add(match);
                    }
                    else
                    {
                        missing.Add(match.Id);
                    }
                }
            }
            using (NewDisposeScope())
            {
                var working = memory.Working;
                var sink = memory.SinkLength;
                var windowTokens = window.Sum(b => (long)b.Tokens);
                for (var layer = 0; layer < layers; layer++)
                {
                    var keys = new List<Tensor> { working.Keys(layer)!.narrow(2, 0, sink) };
                    var values = new List<Tensor> { working.Values(layer)!.narrow(2, 0, sink) };
                    if (synopsis is { } s)
                    {
                        keys.Add(s.Keys[layer]);
                        values.Add(s.Values[layer]);
                    }
                    keys.AddRange(loaded.Select(b => b.Tensors.Keys[layer]));
                    values.AddRange(loaded.Select(b => b.Tensors.Values[layer]));
                    if (windowTokens > 0)
                    {
                        // The window is the tail of the working cache.
                        keys.Add(working.Keys(layer)!.narrow(2, working.Length - windowTokens, windowTokens));
                        values.Add(working.Values(layer)!.narrow(2, working.Length - windowTokens, windowTokens));
                    }
                    cache.Append(layer, cat(keys, 2), cat(values, 2));
                }
            }
            Tensor positions;
            Tensor deltas;
            using (NewDisposeScope())
            {
                var length = questionIds.shape[1];
                positions = QuestionPositions(length).DetachFromDisposeScope();
                // Decode steps take cache length + delta; the cache is shorter than the stream, so
                // the delta carries the question on from the stream's last position.
                deltas = tensor(new[] { memory.NextPosition - cache.Length }, [1, 1]).DetachFromDisposeScope();
            }
            var ids = questionIds.to(_thinker.Device).DetachFromDisposeScope();
            var prompt = embedded ? new ThinkerPrompt(null, ids, positions, deltas, null) : new ThinkerPrompt(ids, null, positions, deltas, null);
            return new ReKVContext(cache, prompt, retrieved, missing, window, ids, positions, deltas);
        }
        catch
        {
            cache.Dispose();
            throw;
        }
        finally
        {
            foreach (var b in loaded)
            {
                b.Dispose();
            }
        }
    }

    private KvBlockTensors? Load(KvBlockId id)
    {
        var text = _thinker.TextConfig;
        return memory.Store.TryGet(id, out var block)
            && KvBlockTensors.TryDecode(block, text.NumHiddenLayers, text.NumKeyValueHeads, text.HeadDim, _thinker.DType, _thinker.Device,
                out var tensors, memory.PinnedStaging)
            ? tensors
            : null;
    }

    // Text positions after everything seen: NextPosition, NextPosition + 1, ... on all three axes.
    private Tensor QuestionPositions(long length)
    {
        using var scope = NewDisposeScope();
        var start = memory.NextPosition;
        return arange(start, start + length, ScalarType.Int64, _thinker.Device)
            .view(1, 1, length).expand(3, 1, length).contiguous().MoveToOuterDisposeScope();
    }

    internal static void CheckEmbeddedQuestion(Tensor questionEmbeds)
    {
        ArgumentNullException.ThrowIfNull(questionEmbeds);
        if (questionEmbeds.dim() != 3 || questionEmbeds.shape[0] != 1 || questionEmbeds.shape[1] == 0)
        {
            throw new ArgumentException("the question is one non-empty row of embeddings [1, Lq, hidden]");
        }
    }

    internal static void CheckQuestion(Tensor questionIds)
    {
        ArgumentNullException.ThrowIfNull(questionIds);
        if (questionIds.dim() != 2 || questionIds.shape[0] != 1 || questionIds.shape[1] == 0)
        {
            throw new ArgumentException("the question is one non-empty row [1, Lq]");
        }
    }
}
