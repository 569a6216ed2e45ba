using TorchSharp;
using static TorchSharp.torch;

namespace Streamer.Models.Generation;

/// <summary>
/// Per-layer key/value tensors [B, kvHeads, T, headDim], owned by the caller and passed into each
/// forward (like past_key_values). The cache owns its tensors: they live outside every dispose
/// scope until replaced, truncated or disposed, so memory policies can move, trim or copy them.
/// </summary>
public sealed class KvCache : IDisposable
{
    private readonly Tensor?[] _keys;
    private readonly Tensor?[] _values;

    public KvCache(int layers)
    {
        _keys = new Tensor?[layers];
        _values = new Tensor?[layers];
    }

    public int Layers => _keys.Length;

    /// <summary>Cached positions (the sequence length of layer 0), 0 when empty.</summary>
    public long Length => _keys[0]?.shape[2] ?? 0;

    public Tensor? Keys(int layer) => _keys[layer];

    public Tensor? Values(int layer) => _values[layer];

    /// <summary>
    /// Appends this step's keys/values for one layer and returns the full tensors. The returned
    /// tensors belong to the cache; callers must not dispose them.
    /// </summary>
    public (Tensor Keys, Tensor Values) Append(int layer, Tensor keys, Tensor values)
    {
        var k = _keys[layer] is { } oldK ? cat([oldK, keys], 2) : keys.alias();
        var v = _values[layer] is { } oldV ? cat([oldV, values], 2) : values.alias();
        k.DetachFromDisposeScope();
        v.DetachFromDisposeScope();
        _keys[layer]?.Dispose();
        _values[layer]?.Dispose();
        _keys[layer] = k;
        _values[layer] = v;
        return (k, v);
    }

    /// <summary>Keeps the first <paramref name="length"/> positions of every layer.</summary>
    public void Truncate(long length)
    {
        for (var i = 0; i < _keys.Length; i++)
        {
            if (_keys[i] is { } k && k.shape[2] > length)
            {
                _keys[i] = Replace(k, k.narrow(2, 0, length).contiguous());
                _values[i] = Replace(_values[i]!, _values[i]!.narrow(2, 0, length).contiguous());
            }
        }
    }

    /// <summary>
    /// Drops positions [start, start + length) of every layer, keeping what comes before and
    /// after in order (a sliding window that keeps an attention sink at the front).
    /// </summary>
    public void RemoveRange(long start, long length)
    {
        if (start < 0 || length < 0 || start + length > Length)
        {
            throw new ArgumentOutOfRangeException(nameof(length), $"cannot remove [{start}, {start + length}) from {Length} positions");
        }
        if (length == 0)
        {
            return;
        }
        for (var i = 0; i < _keys.Length; i++)
        {
            if (_keys[i] is { } k)
            {
                _keys[i] = Replace(k, CutOut(k, start, length));
                _values[i] = Replace(_values[i]!, CutOut(_values[i]!, start, length));
            }
        }
    }

    private static Tensor CutOut(Tensor t, long start, long length)
    {
        using var scope = NewDisposeScope();
        var tail = t.shape[2] - start - length;
        var kept = cat([t.narrow(2, 0, start), t.narrow(2, start + length, tail)], 2);
        return kept.MoveToOuterDisposeScope();
    }

    /// <summary>A deep copy (new storage) that can diverge from this cache.</summary>
    public KvCache Clone()
    {
        var copy = new KvCache(_keys.Length);
        for (var i = 0; i < _keys.Length; i++)
        {
            copy._keys[i] = _keys[i]?.clone().DetachFromDisposeScope();
            copy._values[i] = _values[i]?.clone().DetachFromDisposeScope();
        }
        return copy;
    }

    public void Clear()
    {
        for (var i = 0; i < _keys.Length; i++)
        {
            _keys[i]?.Dispose();
            _values[i]?.Dispose();
            _keys[i] = null;
            _values[i] = null;
        }
    }

    private static Tensor Replace(Tensor old, Tensor replacement)
    {
        replacement.DetachFromDisposeScope();
        old.Dispose();
        return replacement;
    }

    public void Dispose() => Clear();
}
