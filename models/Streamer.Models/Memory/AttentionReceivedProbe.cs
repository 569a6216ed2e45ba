using Streamer.Models.Qwen25Omni;
using TorchSharp;
using static TorchSharp.torch;

namespace Streamer.Models.Memory;

/// <summary>
/// LiveVLM's token importance: for each token of a group, the attention it receives from the
/// group's own vision tokens, softmax(q·k/√d) over the group's keys, summed over query heads,
/// queries and layers. Pre-rotary queries and keys are used so the score reflects content, not
/// how near two patches are; a token that many others look at carries what the frame is about.
/// </summary>
internal sealed class AttentionReceivedProbe(int kvGroups) : IAttentionProbe
{
    private double[]? _received;

    public void Observe(int layer, Tensor queries, Tensor keys)
    {
        using var scope = NewDisposeScope();
        // [1, heads, L, D] and [1, kvHeads, L, D] -> per token [L].
        var q = queries.select(0, 0).to_type(ScalarType.Float32);
        var k = TransformerMath.RepeatKv(keys, kvGroups).select(0, 0).to_type(ScalarType.Float32);
        var scores = matmul(q, k.transpose(1, 2)) / Math.Sqrt(q.shape[2]);
        var received = scores.softmax(-1).sum([0, 1]).cpu().data<float>().ToArray();
        _received ??= new double[received.Length];
        for (var i = 0; i < received.Length; i++)
        {
            _received[i] += received[i];
        }
    }

    /// <summary>Per token, the attention received over all layers; throws if nothing was observed.</summary>
    public double[] Received() => _received ?? throw new InvalidOperationException("no layer was observed");
}
