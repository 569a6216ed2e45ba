using Streamer.KvStore;
using Streamer.Models.Qwen25Omni;
using TorchSharp;
using static TorchSharp.torch;

namespace Streamer.Models.Memory;

/// <summary>
/// Turns a full KV block into a LiveVLM page: the kept tokens' keys and values exactly as the
/// cache held them (rotary at their original positions, which the page's metadata keeps), and a
/// retrieval key per layer that is the mean of the kept tokens' keys with rotary removed. The
/// rotary is undone from the stored keys with the inverse rotation at each token's own
/// positions, so scoring compares content wherever in the stream a block sits.
/// </summary>
internal sealed class LiveVlmCompressor(Qwen25OmniThinker thinker, LiveVlmOptions options)
{
    private readonly Qwen25OmniTextConfig _text = thinker.TextConfig;

    /// <summary>Pre-rotary keys of the previous block [tokens, layers * kvHeads * headDim], for redundancy scoring.</summary>
    private (float[] Data, long Tokens, long Width)? _previous;

    /// <summary>
    /// The page for <paramref name="block"/>; <paramref name="attention"/> is each token's attention
    /// received (from <see cref="AttentionReceivedProbe"/>), or null to score by redundancy.
    /// A block that does not fit the model is returned as it is.
    /// </summary>
    public KvBlock Compress(KvBlock block, double[]? attention)
    {
        var m = block.Metadata;
        if (m.RotaryRows != 3 || m.TokenCount == 0
            || !KvBlockTensors.TryDecode(block, _text.NumHiddenLayers, _text.NumKeyValueHeads, _text.HeadDim, thinker.DType, CPU, out var decoded))
        {
            return block;
        }
        using var tensors = decoded!;
        using var scope = NewDisposeScope();
        var tokens = m.TokenCount;
        var layers = _text.NumHiddenLayers;
        var pre = new Tensor[layers];
        for (var i = 0; i < layers; i++)
        {
            pre[i] = RemoveRotary(tensors.Keys[i], m.RotaryPositions);
        }
        // [tokens, layers * kvHeads * headDim]: one content vector per token.
        var flat = cat(pre.Select(p => p.select(0, 0).permute(1, 0, 2).reshape(tokens, -1)).ToArray(), 1);
        var scores = attention is { Length: var n } && n == tokens ? attention : Novelty(flat, tokens);
        _previous = (flat.contiguous().data<float>().ToArray(), flat.shape[0], flat.shape[1]);
        var keep = options.KeptTokens(tokens);
        var kept = Enumerable.Range(0, tokens).OrderByDescending(i => scores[i]).ThenBy(i => i).Take(keep).Order().ToArray();
        var index = tensor(kept.Select(i => (long)i).ToArray());
        var keys = tensors.Keys.Select(k => k.index_select(2, index)).ToArray();
        var values = tensors.Values.Select(v => v.index_select(2, index)).ToArray();
        var retrieval = pre.Select(p => p.index_select(2, index).select(0, 0).mean([1]).flatten().data<float>().ToArray()).ToArray();
        var (payload, shapes) = KvBlockTensors.Encode(keys, values);
        var positions = new int[3 * keep];
        for (var row = 0; row < 3; row++)
        {
            for (var j = 0; j < keep; j++)
            {
                positions[row * keep + j] = m.RotaryPositions[row * tokens + kept[j]];
            }
        }
        var metadata = new KvBlockMetadata(m.Id, m.MediaStart, m.MediaEnd, keep, m.DType, shapes, 3, positions, retrieval);
        return new KvBlock(metadata, payload);
    }

    /// <summary>Keys [1, kvHeads, T, D] with rotary applied at <paramref name="positions"/> ([3, T] row-major) back to pre-rotary, float32.</summary>
    public Tensor RemoveRotary(Tensor keys, int[] positions)
    {
        using var scope = NewDisposeScope();
        var t = keys.shape[2];
        var ids = tensor(positions.Select(p => (long)p).ToArray(), [3, 1, t]);
        var (cos3, sin3) = TransformerMath.MultimodalRotaryTables(ids, _text.HeadDim, _text.RopeTheta, ScalarType.Float32);
        var cos = TransformerMath.SelectMultimodalSections(cos3, _text.MropeSection);
        var sin = TransformerMath.SelectMultimodalSections(sin3, _text.MropeSection);
        // Rotary turns each pair by its angle; turning it back is the same with the sine negated.
        return TransformerMath.ApplyRotary(keys.to_type(ScalarType.Float32), cos, -sin).MoveToOuterDisposeScope();
    }

    // 1 - cosine with the previous block's same token; with no comparable previous block, with the block's mean.
    private double[] Novelty(Tensor flat, int tokens)
    {
        using var scope = NewDisposeScope();
        Tensor reference = _previous is { } prev && prev.Tokens == tokens && prev.Width == flat.shape[1]
            ? tensor(prev.Data, [prev.Tokens, prev.Width])
            : flat.mean([0], keepdim: true).expand_as(flat);
        var cosine = nn.functional.cosine_similarity(flat, reference, 1, 1e-8);
        return (1 - cosine).data<float>().ToArray().Select(x => (double)x).ToArray();
    }
}
