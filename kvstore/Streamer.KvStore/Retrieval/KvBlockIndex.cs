namespace Streamer.KvStore;

/// <summary>
/// The retrieval keys of one session's blocks, in memory, for ReKV-style retrieval: a
/// question's mean query is compared by cosine similarity with each block's retrieval key
/// (its keys averaged over tokens, heads concatenated), per layer or averaged over layers.
/// Keys are stored layer-major in one contiguous array per layer with their norms
/// precomputed, so a query is one streaming SIMD pass per layer. Removed blocks leave a
/// hole that later compaction closes, which keeps slots in arrival (time) order.
/// Thread-safe.
/// </summary>
public sealed class KvBlockIndex
{
    private const int InitialCapacity = 64;

    private readonly Lock _gate = new();
    private readonly Dictionary<long, int> _slotOf = [];
    private float[][] _keys;
    private float[][] _norms;
    private long[] _sequences;
    private TimeSpan[] _starts;
    private TimeSpan[] _ends;
    private bool[] _alive;
    private int _slots;
    private int _holes;
    private bool _inOrder = true;
    private long _maxSequence = -1;
    private KvStreamExtent? _extent;

    public KvBlockIndex(string sessionId, int layerCount, int dimension)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(layerCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        SessionId = sessionId;
        LayerCount = layerCount;
        Dimension = dimension;
        _keys = new float[layerCount][];
        _norms = new float[layerCount][];
        for (int layer = 0; layer < layerCount; layer++)
        {
            _keys[layer] = new float[InitialCapacity * dimension];
            _norms[layer] = new float[InitialCapacity];
        }
        _sequences = new long[InitialCapacity];
        _starts = new TimeSpan[InitialCapacity];
        _ends = new TimeSpan[InitialCapacity];
        _alive = new bool[InitialCapacity];
    }

    public string SessionId { get; }

    public int LayerCount { get; }

    public int Dimension { get; }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _slotOf.Count;
            }
        }
    }

    /// <summary>How far the blocks ever added reach; null before the first.</summary>
    public KvStreamExtent? Extent
    {
        get
        {
            lock (_gate)
            {
                return _extent;
            }
        }
    }

    /// <summary>Adds the block's retrieval keys, replacing an entry with the same sequence.</summary>
    public void Add(KvBlockMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (metadata.Id.SessionId != SessionId)
        {
            throw new ArgumentException($"Block {metadata.Id} is not in session {SessionId}.", nameof(metadata));
        }
        if (metadata.LayerCount != LayerCount || metadata.RetrievalDimension != Dimension)
        {
            throw new ArgumentException(
                $"Block {metadata.Id} has {metadata.LayerCount}x{metadata.RetrievalDimension} retrieval keys; the index holds {LayerCount}x{Dimension}.",
                nameof(metadata));
        }
        lock (_gate)
        {
            long sequence = metadata.Id.Sequence;
            RemoveLocked(sequence);
            if (_slots == _sequences.Length)
            {
                Compact();
                if (_slots == _sequences.Length)
                {
                    Grow();
                }
            }
            int slot = _slots++;
            // Blocks normally arrive in sequence order; only a late one forces sorting at query time.
            _inOrder &= sequence > _maxSequence;
            _maxSequence = Math.Max(_maxSequence, sequence);
            int maxPosition = metadata.RotaryPositions.Length == 0 ? -1 : metadata.RotaryPositions.Max();
            _extent = _extent is { } e
                ? new KvStreamExtent(Math.Max(e.LastSequence, sequence), Min(e.FirstMediaStart, metadata.MediaStart),
                    Max(e.LastMediaEnd, metadata.MediaEnd), Math.Max(e.MaxRotaryPosition, maxPosition))
                : new KvStreamExtent(sequence, metadata.MediaStart, metadata.MediaEnd, maxPosition);
            for (int layer = 0; layer < LayerCount; layer++)
            {
                Span<float> destination = _keys[layer].AsSpan(slot * Dimension, Dimension);
                metadata.RetrievalKeys[layer].CopyTo(destination);
                _norms[layer][slot] = VectorMath.Norm(destination);
            }
            _sequences[slot] = sequence;
            _starts[slot] = metadata.MediaStart;
            _ends[slot] = metadata.MediaEnd;
            _alive[slot] = true;
            _slotOf[sequence] = slot;
        }
    }

    public bool Remove(long sequence)
    {
        lock (_gate)
        {
            return RemoveLocked(sequence);
        }
    }

    public bool Contains(long sequence)
    {
        lock (_gate)
        {
            return _slotOf.ContainsKey(sequence);
        }
    }

    /// <summary>The k blocks whose retrieval key in <paramref name="layer"/> is most similar to the query.</summary>
    public IReadOnlyList<KvBlockMatch> TopK(int layer, ReadOnlySpan<float> query, int k, KvTopKOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(layer);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(layer, LayerCount);
        CheckQuery(query, Dimension);
        lock (_gate)
        {
            float[] scores = new float[_slots];
            AddLayerScores(layer, query, scores, weight: 1f);
            return Select(scores, k, options ?? KvTopKOptions.Default);
        }
    }

    /// <summary>
    /// The k blocks with the highest cosine similarity averaged over all layers;
    /// <paramref name="queryPerLayer"/> holds one query of <see cref="Dimension"/> floats per layer, layer after layer.
    /// </summary>
    public IReadOnlyList<KvBlockMatch> TopK(ReadOnlySpan<float> queryPerLayer, int k, KvTopKOptions? options = null)
    {
        CheckQuery(queryPerLayer, LayerCount * Dimension);
        lock (_gate)
        {
            float[] scores = new float[_slots];
            for (int layer = 0; layer < LayerCount; layer++)
            {
                AddLayerScores(layer, queryPerLayer.Slice(layer * Dimension, Dimension), scores, 1f / LayerCount);
            }
            return Select(scores, k, options ?? KvTopKOptions.Default);
        }
    }

    private static void CheckQuery(ReadOnlySpan<float> query, int expected)
    {
        if (query.Length != expected)
        {
            throw new ArgumentException($"The query has {query.Length} floats; {expected} are needed.", nameof(query));
        }
    }

    private void AddLayerScores(int layer, ReadOnlySpan<float> query, float[] scores, float weight)
    {
        float queryNorm = VectorMath.Norm(query);
        if (queryNorm == 0)
        {
            return;
        }
        ReadOnlySpan<float> keys = _keys[layer];
        float[] norms = _norms[layer];
        for (int slot = 0; slot < _slots; slot++)
        {
            float norm = norms[slot];
            if (norm > 0 && _alive[slot])
            {
                scores[slot] += weight * VectorMath.Dot(query, keys.Slice(slot * Dimension, Dimension)) / (queryNorm * norm);
            }
        }
    }

    private List<KvBlockMatch> Select(float[] scores, int k, KvTopKOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        options.Validate();
        int[] order = AliveSlotsInSequenceOrder();
        float[] ranked = scores;
        if (options.SmoothingRadius > 0)
        {
            ranked = new float[scores.Length];
            int r = options.SmoothingRadius;
            for (int i = 0; i < order.Length; i++)
            {
                int from = Math.Max(0, i - r);
                int to = Math.Min(order.Length - 1, i + r);
                float sum = 0;
                for (int j = from; j <= to; j++)
                {
                    sum += scores[order[j]];
                }
                ranked[order[i]] = sum / (to - from + 1);
            }
        }

        var heap = new PriorityQueue<int, (float Score, long NegSequence)>(k + 1);
        foreach (int slot in order)
        {
            if (options.BeforeSequence is { } before && _sequences[slot] >= before)
            {
                continue;
            }
            // Min-heap of the best k so far; ties go to the earlier block.
            var priority = (ranked[slot], -_sequences[slot]);
            if (heap.Count < k)
            {
                heap.Enqueue(slot, priority);
            }
            else if (k > 0 && heap.TryPeek(out _, out var worst) && priority.CompareTo(worst) > 0)
            {
                heap.EnqueueDequeue(slot, priority);
            }
        }
        var result = new List<KvBlockMatch>(heap.Count);
        while (heap.TryDequeue(out int slot, out _))
        {
            result.Add(new KvBlockMatch(new KvBlockId(SessionId, _sequences[slot]), ranked[slot], _starts[slot], _ends[slot]));
        }
        if (options.TimeOrder)
        {
            result.Sort((a, b) => a.Id.Sequence.CompareTo(b.Id.Sequence));
        }
        else
        {
            result.Reverse();
        }
        return result;
    }

    private int[] AliveSlotsInSequenceOrder()
    {
        var order = new int[_slotOf.Count];
        int n = 0;
        for (int slot = 0; slot < _slots; slot++)
        {
            if (_alive[slot])
            {
                order[n++] = slot;
            }
        }
        if (!_inOrder)
        {
            long[] sequences = _sequences;
            Array.Sort(order, (a, b) => sequences[a].CompareTo(sequences[b]));
        }
        return order;
    }

    private bool RemoveLocked(long sequence)
    {
        if (!_slotOf.Remove(sequence, out int slot))
        {
            return false;
        }
        _alive[slot] = false;
        _holes++;
        // Queries walk holes too; once they are most of the slots, close them.
        if (_holes > InitialCapacity && _holes * 2 > _slots)
        {
            Compact();
        }
        return true;
    }

    // Closes the holes left by removals, keeping the survivors in slot order.
    private void Compact()
    {
        if (_holes == 0)
        {
            return;
        }
        int write = 0;
        for (int read = 0; read < _slots; read++)
        {
            if (!_alive[read])
            {
                continue;
            }
            if (write != read)
            {
                for (int layer = 0; layer < LayerCount; layer++)
                {
                    Array.Copy(_keys[layer], read * Dimension, _keys[layer], write * Dimension, Dimension);
                    _norms[layer][write] = _norms[layer][read];
                }
                _sequences[write] = _sequences[read];
                _starts[write] = _starts[read];
                _ends[write] = _ends[read];
                _alive[write] = true;
                _slotOf[_sequences[write]] = write;
            }
            write++;
        }
        Array.Clear(_alive, write, _slots - write);
        _slots = write;
        _holes = 0;
    }

    private void Grow()
    {
        int capacity = _sequences.Length * 2;
        for (int layer = 0; layer < LayerCount; layer++)
        {
            Array.Resize(ref _keys[layer], capacity * Dimension);
            Array.Resize(ref _norms[layer], capacity);
        }
        Array.Resize(ref _sequences, capacity);
        Array.Resize(ref _starts, capacity);
        Array.Resize(ref _ends, capacity);
        Array.Resize(ref _alive, capacity);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
