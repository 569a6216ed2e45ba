using BenchmarkDotNet.Attributes;
using Streamer.KvStore;

namespace Streamer.Benchmarks.Memory;

/// <summary>
/// ReKV scoring of one question against a session's blocks: <see cref="KvBlockIndex.TopK(ReadOnlySpan{float}, int, KvTopKOptions?)"/>
/// with Qwen2.5-Omni-3B's retrieval keys (36 layers x 2 KV heads x 128 dims), cosine similarity
/// averaged over layers, top 32 in time order. The baseline does the same with a naive scalar
/// loop over one array per block (norms computed per query) and a full sort, in the same run.
/// 100k blocks are 55 hours of video at one block per second; their keys take 3.7 GB.
/// </summary>
public class KvRetrievalBenchmarks
{
    public const int Layers = 36;
    public const int Dimension = 2 * 128;
    public const int K = 32;

    private KvBlockIndex _index = null!;
    private float[][] _naive = null!;
    private float[] _query = null!;

    [Params(1_000, 10_000, 100_000)]
    public int Blocks { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(777);
        _index = new KvBlockIndex("bench", Layers, Dimension);
        _naive = new float[Blocks][];
        for (var b = 0; b < Blocks; b++)
        {
            var keys = new float[Layers][];
            _naive[b] = new float[Layers * Dimension];
            for (var layer = 0; layer < Layers; layer++)
            {
                keys[layer] = new float[Dimension];
                for (var d = 0; d < Dimension; d++)
                {
                    keys[layer][d] = (float)(random.NextDouble() * 2 - 1);
                }
                keys[layer].CopyTo(_naive[b], layer * Dimension);
            }
            _index.Add(new KvBlockMetadata(new KvBlockId("bench", b), TimeSpan.FromSeconds(b), TimeSpan.FromSeconds(b + 1),
                0, "bfloat16", [.. Enumerable.Range(0, Layers).Select(_ => new[] { 0 })], 0, [], keys));
        }
        _query = _naive[Blocks / 3].ToArray();
        // Both paths must find the planted block and (up to rounding at the cut) the same others.
        var fast = Indexed().Select(m => m.Id.Sequence).ToArray();
        var naive = Naive();
        if (!fast.Contains(Blocks / 3) || !naive.Contains(Blocks / 3) || fast.Intersect(naive).Count() < K - 2)
        {
            throw new InvalidOperationException("index and naive top-k disagree");
        }
    }

    [Benchmark]
    public IReadOnlyList<KvBlockMatch> Indexed() => _index.TopK(_query, K, new KvTopKOptions { TimeOrder = true });

    [Benchmark(Baseline = true)]
    public long[] Naive()
    {
        var scores = new (float Score, long Sequence)[Blocks];
        for (var b = 0; b < Blocks; b++)
        {
            var keys = _naive[b];
            float total = 0;
            for (var layer = 0; layer < Layers; layer++)
            {
                float dot = 0, qq = 0, kk = 0;
                for (var d = 0; d < Dimension; d++)
                {
                    var q = _query[layer * Dimension + d];
                    var k = keys[layer * Dimension + d];
                    dot += q * k;
                    qq += q * q;
                    kk += k * k;
                }
                total += dot / MathF.Sqrt(qq * kk);
            }
            scores[b] = (total / Layers, b);
        }
        Array.Sort(scores, (x, y) => y.Score != x.Score ? y.Score.CompareTo(x.Score) : x.Sequence.CompareTo(y.Sequence));
        return [.. scores.Take(K).Select(s => s.Sequence).Order()];
    }
}
