using Streamer.KvStore;
using Streamer.Models.Generation;
using Streamer.Models.Qwen25Omni;
using TorchSharp;
using static TorchSharp.torch;

namespace Streamer.Models.Memory;

/// <summary>
/// Flash-VStream: a memory of fixed size however long the stream. Every block's pooled
/// features (per layer, its pre-rotary mean key and mean value) join a clustered synopsis of
/// <see cref="FlashVStreamOptions.Centroids"/> weighted centroids (weight: frames merged), and
/// only <see cref="FlashVStreamOptions.DetailBlocks"/> blocks stay in the store at full detail:
/// the ones nearest the centroids that merged the most frames (among centroids that still have
/// a stored member; a block once dropped never comes back). Every other block leaves the
/// store once it leaves the recent window. A question is answered over sink + one synopsis
/// token per centroid (its mean key rotated at its mean position) + the detail blocks at their
/// original positions + the recent window; the context does not depend on the question, so
/// <see cref="ReKVQuery.TopKFrames"/> and averaging do not apply.
/// </summary>
public sealed class FlashVStreamPolicy : IStreamingMemoryPolicy, IMemoryBlockAdmission
{
    private readonly StreamingVideoMemory _memory;
    private readonly ReKVRetriever _retriever;
    private readonly FlashVStreamSynopsis _synopsis;
    private readonly FlashVStreamOptions _options;
    private readonly SortedSet<KvBlockId> _held = [];

    public FlashVStreamPolicy(StreamingVideoMemory memory)
    {
        ArgumentNullException.ThrowIfNull(memory);
        _memory = memory;
        _options = memory.Options.FlashVStream;
        _retriever = new ReKVRetriever(memory);
        _synopsis = new FlashVStreamSynopsis(_options.Centroids, _options.MaxIterations);
    }

    public string Name => MemoryPolicyNames.FlashVStream;

    /// <summary>The synopsis now, at most <see cref="FlashVStreamOptions.Centroids"/> centroids.</summary>
    public IReadOnlyList<SynopsisCentroid> Synopsis
    {
        get
        {
            lock (_memory.Gate)
            {
                return [.. _synopsis.Centroids];
            }
        }
    }

    /// <summary>The full-detail blocks now, heaviest cluster first.</summary>
    public IReadOnlyList<KvBlockId> DetailBlocks
    {
        get
        {
            lock (_memory.Gate)
            {
                return _synopsis.Details(_options.DetailBlocks);
            }
        }
    }

    /// <summary>
    /// Sink + synopsis + detail blocks + window (unless <see cref="ReKVQuery.IncludeRecentWindow"/> is off).
    /// Each detail in <see cref="ReKVContext.Retrieved"/> carries its cluster's share of the frames
    /// as its score and its cluster's media span.
    /// </summary>
    public ReKVContext Retrieve(Tensor questionIds, ReKVQuery? query = null)
    {
        ReKVRetriever.CheckQuestion(questionIds);
        return RetrieveCore(questionIds, embedded: false, query ?? new ReKVQuery());
    }

    public ReKVContext RetrieveEmbedded(Tensor questionEmbeds, ReKVQuery? query = null)
    {
        ReKVRetriever.CheckEmbeddedQuestion(questionEmbeds);
        return RetrieveCore(questionEmbeds, embedded: true, query ?? new ReKVQuery());
    }

    // The synopsis does not depend on the question, so ids and embeddings choose the same blocks.
    private ReKVContext RetrieveCore(Tensor question, bool embedded, ReKVQuery query)
    {
        lock (_memory.Gate)
        {
            if (_memory.SinkLength < 0)
            {
                throw new InvalidOperationException("the memory has no sink yet");
            }
            var window = query.IncludeRecentWindow ? _memory.WindowBlocks : [];
            var inWindow = window.Select(b => b.Id).ToHashSet();
            var total = Math.Max(1, _synopsis.Centroids.Sum(c => c.Weight));
            var details = _synopsis.DetailCentroids(_options.DetailBlocks)
                .Where(c => !inWindow.Contains(c.Held!.Value))
                .Select(c => new KvBlockMatch(c.Held!.Value, (float)(c.Weight / total), c.MediaStart, c.MediaEnd))
                .OrderBy(m => m.Id.Sequence)
                .ToList();
            using var scope = NewDisposeScope();
            return _retriever.Build(question, details, window, SynopsisTokens(), embedded);
        }
    }

    public GenerationResult Answer(Tensor questionIds, GenerationOptions generation, ReKVQuery? query = null)
    {
        using var context = Retrieve(questionIds, query);
        return new ThinkerGenerator(_memory.Thinker).Generate(context.Prompt, generation, context.Cache);
    }

    IAttentionProbe? IMemoryBlockAdmission.CreateBlockProbe() => null;

    KvBlock IMemoryBlockAdmission.Admit(KvBlock block, IAttentionProbe? probe) => block;

    void IMemoryBlockAdmission.Stored(KvBlock admitted, bool stored, IReadOnlyCollection<MemoryBlock> window)
    {
        var m = admitted.Metadata;
        if (stored)
        {
            _held.Add(m.Id);
        }
        if (PooledValues(admitted) is { } values)
        {
            var position = new double[3];
            if (m.RotaryRows == 3 && m.TokenCount > 0)
            {
                for (var axis = 0; axis < 3; axis++)
                {
                    position[axis] = m.RotaryPositions.AsSpan(axis * m.TokenCount, m.TokenCount).ToArray().Average();
                }
            }
            _synopsis.Add(m.Id, m.RetrievalKeys, values, position, _memory.FramesPerBlock, m.MediaStart, m.MediaEnd);
            if (!stored)
            {
                _synopsis.Forget(m.Id);
            }
        }
        var keep = _synopsis.Details(_options.DetailBlocks).Concat(window.Select(b => b.Id)).ToHashSet();
        foreach (var id in _held.Where(id => !keep.Contains(id)).ToList())
        {
            _memory.Store.Remove(id);
            _memory.DeviceTier.Remove(id);
            _held.Remove(id);
            _synopsis.Forget(id);
        }
    }

    // Per layer, the block's values averaged over tokens with heads concatenated; null when it does not fit the model.
    private float[][]? PooledValues(KvBlock block)
    {
        var text = _memory.Thinker.TextConfig;
        if (block.Metadata.TokenCount == 0
            || !KvBlockTensors.TryDecode(block, text.NumHiddenLayers, text.NumKeyValueHeads, text.HeadDim, _memory.Thinker.DType, CPU, out var decoded))
        {
            return null;
        }
        using var tensors = decoded!;
        using var scope = NewDisposeScope();
        return tensors.Values.Select(v => v.select(0, 0).to_type(ScalarType.Float32).mean([1]).flatten().data<float>().ToArray()).ToArray();
    }

    // One token per centroid in time order: keys [1, kvHeads, C, headDim] rotated at the centroid's mean position, values alike.
    private (Tensor[] Keys, Tensor[] Values)? SynopsisTokens()
    {
        var centroids = _synopsis.Centroids.OrderBy(c => c.Position[0]).ThenBy(c => c.MediaStart).ToList();
        if (centroids.Count == 0)
        {
            return null;
        }
        var thinker = _memory.Thinker;
        var text = thinker.TextConfig;
        var n = centroids.Count;
        var positions = new long[3 * n];
        for (var axis = 0; axis < 3; axis++)
        {
            for (var c = 0; c < n; c++)
            {
                positions[axis * n + c] = (long)Math.Round(centroids[c].Position[axis]);
            }
        }
        var ids = tensor(positions, [3, 1, n]);
        var (cos3, sin3) = TransformerMath.MultimodalRotaryTables(ids, text.HeadDim, text.RopeTheta, ScalarType.Float32);
        var cos = TransformerMath.SelectMultimodalSections(cos3, text.MropeSection);
        var sin = TransformerMath.SelectMultimodalSections(sin3, text.MropeSection);
        var keys = new Tensor[text.NumHiddenLayers];
        var values = new Tensor[text.NumHiddenLayers];
        for (var layer = 0; layer < keys.Length; layer++)
        {
            keys[layer] = TransformerMath.ApplyRotary(Stack(centroids.Select(c => c.Keys[layer]), n, text), cos, sin)
                .to(thinker.DType).to(thinker.Device);
            values[layer] = Stack(centroids.Select(c => c.Values[layer]), n, text).to(thinker.DType).to(thinker.Device);
        }
        return (keys, values);
    }

    // [C][kvHeads * headDim] -> [1, kvHeads, C, headDim].
    private static Tensor Stack(IEnumerable<float[]> vectors, int n, Qwen25OmniTextConfig text) =>
        tensor(vectors.SelectMany(v => v).ToArray(), [n, text.NumKeyValueHeads, text.HeadDim]).permute(1, 0, 2).unsqueeze(0);
}
