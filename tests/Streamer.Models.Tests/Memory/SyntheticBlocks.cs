using System.Runtime.InteropServices;
using Streamer.KvStore;
using Streamer.Models.Qwen25Omni;
using static TorchSharp.torch;

namespace Streamer.Models.Tests.Memory;

/// <summary>
/// KV blocks made by hand for the tiny fixture model: each token's pre-rotary key is given per
/// layer ([kvHeads * headDim], heads concatenated), the stored keys are those rotated at the
/// block's TMRoPE positions (time from <c>timePosition</c>, a 2x3 patch grid), values are random.
/// </summary>
internal static class SyntheticBlocks
{
    public const int Rows = 2;
    public const int Cols = 3;
    public const int Tokens = Rows * Cols;

    public static float Gaussian(Random rng) =>
        (float)(Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()));

    public static float[][] RandomKeys(Qwen25OmniThinker thinker, Random rng) =>
        Enumerable.Range(0, thinker.TextConfig.NumHiddenLayers)
            .Select(_ => Enumerable.Range(0, thinker.TextConfig.NumKeyValueHeads * thinker.TextConfig.HeadDim).Select(_ => Gaussian(rng)).ToArray())
            .ToArray();

    /// <summary>Positions [3 * Tokens]: time row, height row, width row, every axis offset by <paramref name="start"/>.</summary>
    public static int[] Positions(int start, int timePosition)
    {
        var result = new int[3 * Tokens];
        for (var k = 0; k < Tokens; k++)
        {
            result[k] = timePosition;
            result[Tokens + k] = start + k / Cols;
            result[2 * Tokens + k] = start + k % Cols;
        }
        return result;
    }

    /// <summary>
    /// A block whose token j has pre-rotary key <paramref name="tokenKeys"/>(j) per layer; the
    /// metadata's retrieval keys are <paramref name="metadataKeys"/> (what the memory would have
    /// recorded, or a decoy).
    /// </summary>
    public static KvBlock Make(Qwen25OmniThinker thinker, string session, long sequence, Func<int, float[][]> tokenKeys,
        int[] positions, float[][] metadataKeys, Random rng)
    {
        var text = thinker.TextConfig;
        var (layers, heads, dim) = (text.NumHiddenLayers, text.NumKeyValueHeads, text.HeadDim);
        using var scope = NewDisposeScope();
        var ids = tensor(positions.Select(p => (long)p).ToArray(), [3, 1, Tokens]);
        var (cos3, sin3) = TransformerMath.MultimodalRotaryTables(ids, dim, text.RopeTheta, ScalarType.Float32);
        var cos = TransformerMath.SelectMultimodalSections(cos3, text.MropeSection);
        var sin = TransformerMath.SelectMultimodalSections(sin3, text.MropeSection);
        var perToken = Enumerable.Range(0, Tokens).Select(tokenKeys).ToArray();
        var payload = new List<float>();
        for (var layer = 0; layer < layers; layer++)
        {
            // [tokens, heads, dim] -> [1, heads, tokens, dim], then rotary as the cache applies it.
            var pre = tensor(perToken.SelectMany(t => t[layer]).ToArray(), [Tokens, heads, dim]).permute(1, 0, 2).unsqueeze(0);
            var rotated = TransformerMath.ApplyRotary(pre, cos, sin).contiguous();
            payload.AddRange(rotated.data<float>().ToArray());
            payload.AddRange(Enumerable.Range(0, heads * Tokens * dim).Select(_ => Gaussian(rng)));
        }
        var shapes = Enumerable.Range(0, layers).Select(_ => new[] { 2, heads, Tokens, dim }).ToArray();
        var metadata = new KvBlockMetadata(new KvBlockId(session, sequence), TimeSpan.FromSeconds(sequence), TimeSpan.FromSeconds(sequence + 1),
            Tokens, "float32", shapes, 3, positions, metadataKeys);
        return new KvBlock(metadata, MemoryMarshal.AsBytes(payload.ToArray().AsSpan()).ToArray());
    }

    /// <summary>Mean over layers of the cosine between per-layer vectors.</summary>
    public static double Cosine(float[][] a, float[][] b) =>
        a.Zip(b, (x, y) => (double)VectorMath.Cosine(x, y)).Average();
}
