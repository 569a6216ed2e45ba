using Streamer.Models.Qwen25Omni;
using TorchSharp;
using static TorchSharp.torch;

namespace Streamer.Models.Memory;

/// <summary>
/// Records, per layer, the mean over tokens of the pre-rotary keys (a block's retrieval key) or
/// queries (a question's mean query), as float32 [kvHeads * headDim] with the heads concatenated.
/// Queries are first averaged over each key head's group of query heads, so a query lives in
/// the same space as the keys it attends to. Rotary is left out on purpose: a block's tokens sit
/// at different positions, and averaging rotated keys would cancel the fast-rotating dimensions
/// and make the score depend on how far the question is from the block rather than on content.
/// </summary>
internal sealed class MeanProjectionProbe(int layers, int kvHeads, bool recordQueries) : IAttentionProbe
{
    private readonly float[][] _means = new float[layers][];

    public void Observe(int layer, Tensor queries, Tensor keys)
    {
        using var scope = NewDisposeScope();
        var source = recordQueries ? queries : keys;
        // [B, heads, L, D] -> [heads, D], batch 1.
        var mean = source.select(0, 0).to_type(ScalarType.Float32).mean([1]);
        if (recordQueries)
        {
            var d = mean.shape[1];
            mean = mean.view(kvHeads, -1, d).mean([1]);
        }
        _means[layer] = mean.contiguous().cpu().data<float>().ToArray();
    }

    /// <summary>One vector per layer; throws if a layer was not observed.</summary>
    public float[][] Means()
    {
        for (var i = 0; i < _means.Length; i++)
        {
            if (_means[i] is null)
            {
                throw new InvalidOperationException($"layer {i} was not observed");
            }
        }
        return _means;
    }
}
