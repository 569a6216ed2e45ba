using Streamer.KvStore;
using TorchSharp;
using static TorchSharp.torch;

namespace Streamer.Models.Memory;

/// <summary>
/// A block's keys and values as tensors: per layer [1, kvHeads, tokens, headDim], rotary already
/// applied at the block's original positions (exactly what the cache held). The store payload
/// is the raw element bytes of [layers, 2 (keys, values), kvHeads, tokens, headDim], row-major,
/// in the dtype the metadata names.
/// </summary>
internal sealed class KvBlockTensors : IDisposable
{
    private KvBlockTensors(Tensor[] keys, Tensor[] values)
    {
        Keys = keys;
        Values = values;
    }

    public Tensor[] Keys { get; }

    public Tensor[] Values { get; }

    public long Tokens => Keys[0].shape[2];

    /// <summary>Bytes of the keys and values of every layer.</summary>
    public long Bytes => Keys.Concat(Values).Sum(t => t.NumberOfElements * t.ElementSize);

    /// <summary>The payload bytes and per-layer shapes for tensors [1, kvHeads, tokens, headDim] per layer.</summary>
    public static (byte[] Payload, int[][] LayerShapes) Encode(IReadOnlyList<Tensor> keys, IReadOnlyList<Tensor> values)
    {
        using var scope = NewDisposeScope();
        var layers = new Tensor[keys.Count];
        for (var i = 0; i < layers.Length; i++)
        {
            layers[i] = stack([keys[i].select(0, 0), values[i].select(0, 0)]);
        }
        var all = stack(layers).cpu().contiguous();
        var shape = layers[0].shape.Select(d => checked((int)d)).ToArray();
        return (all.bytes.ToArray(), layers.Select(_ => (int[])shape.Clone()).ToArray());
    }

    /// <summary>
    /// Rebuilds the tensors on <paramref name="device"/>, or returns false when the block does not
    /// fit the model (another layer count, head layout, dtype or a short payload): a stored block
    /// is input from a disk or a network, so a mismatch is a miss, not a crash. With
    /// <paramref name="pinnedStaging"/> (see <see cref="BlockUpload"/>) the bytes are staged in
    /// page-locked memory and copied to the device without blocking.
    /// </summary>
    public static bool TryDecode(KvBlock block, int layers, int kvHeads, int headDim, ScalarType dtype, Device device, out KvBlockTensors? tensors,
        bool pinnedStaging = false)
    {
        tensors = null;
        var m = block.Metadata;
        if (m.LayerCount != layers || m.DType != DTypeName(dtype))
        {
            return false;
        }
        var tokens = m.TokenCount;
        foreach (var shape in m.LayerShapes)
        {
            if (shape is not [2, var h, var t, var d] || h != kvHeads || t != tokens || d != headDim)
            {
                return false;
            }
        }
        using var scope = NewDisposeScope();
        long[] dims = [layers, 2, kvHeads, tokens, headDim];
        var expected = dims.Aggregate(1L, (a, b) => a * b) * empty(0, dtype).ElementSize;
        if (block.Payload.Length != expected)
        {
            return false;
        }
        var all = pinnedStaging ? empty(dims, dtype).pin_memory() : empty(dims, dtype);
        block.Payload.Span.CopyTo(all.bytes);
        var placed = pinnedStaging ? all.to(device, non_blocking: true) : all.to(device);
        var keys = new Tensor[layers];
        var values = new Tensor[layers];
        for (var i = 0; i < layers; i++)
        {
            keys[i] = placed[i][0].unsqueeze(0).MoveToOuterDisposeScope();
            values[i] = placed[i][1].unsqueeze(0).MoveToOuterDisposeScope();
        }
        tensors = new KvBlockTensors(keys, values);
        return true;
    }

    public static string DTypeName(ScalarType dtype) => dtype switch
    {
        ScalarType.Float32 => "float32",
        ScalarType.BFloat16 => "bfloat16",
        ScalarType.Float16 => "float16",
        ScalarType.Float64 => "float64",
        _ => throw new ArgumentException($"no KV block dtype name for {dtype}"),
    };

    public void Dispose()
    {
        foreach (var t in Keys.Concat(Values))
        {
            t.Dispose();
        }
    }
}
