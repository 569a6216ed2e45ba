using BenchmarkDotNet.Attributes;
using Streamer.Benchmarks.Reporting;
using Streamer.Models.Generation;
using Streamer.Models.Qwen25Omni;
using Streamer.Models.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace Streamer.Benchmarks.Models;

/// <summary>
/// The thinker's text path on the CPU with the tiny fixture model (float32, one libtorch
/// thread): prefill of a <see cref="PromptLength"/>-token prompt, and greedy decoding of
/// <see cref="NewTokens"/> tokens after it with a <see cref="KvCache"/>. The baseline decodes
/// the same tokens without a cache, recomputing the whole sequence for every new token, so the
/// ratio is the cache's gain. Each cached decode starts from a clone of the prefilled cache
/// (included in its time; a copy of the prompt's keys and values, small next to 32 steps).
/// An operation is one sequence position; Tokens/s counts every row.
/// The tiny model has 64 hidden units, so these figures measure per-op overhead (TorchSharp
/// dispatch, cache concatenation), not arithmetic.
/// </summary>
[Config(typeof(TokensPerSecondConfig))]
public class ThinkerBenchmarks
{
    public const int PromptLength = 256;
    public const int NewTokens = 32;
    public const int TorchThreads = 1;

    private Qwen25OmniThinker _thinker = null!;
    private Tensor _promptIds = null!;
    private Tensor _positions = null!;
    private Tensor _ropeDeltas = null!;
    private Tensor _firstToken = null!;
    private KvCache _prefilled = null!;

    [Params(1, 4)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        torch.set_num_threads(TorchThreads);
        var folder = TinyFixture.ResolveFolder();
        var config = Qwen25OmniConfig.Load(folder).ThinkerConfig;
        using (var checkpoint = SafeTensorsCheckpoint.Open(folder))
        {
            _thinker = Qwen25OmniThinker.Load(config, checkpoint);
        }

        using var scope = NewDisposeScope();
        // Plain text ids below the lowest special token of the config.
        var random = new Random(20250101);
        var limit = (int)Math.Min(config.TextConfig.VocabSize, config.AudioTokenIndex);
        var ids = Enumerable.Range(0, Batch * PromptLength).Select(_ => (long)random.Next(0, limit)).ToArray();
        _promptIds = tensor(ids, [Batch, PromptLength]).DetachFromDisposeScope();
        var (promptPositions, deltas) = Qwen25OmniRopeIndex.GetRopeIndex(config, _promptIds);
        _ropeDeltas = deltas.DetachFromDisposeScope();
        // The decode steps' positions, appended, are what a recompute of the whole sequence sees.
        var decodePositions = Qwen25OmniRopeIndex.DecodePositions(_ropeDeltas, PromptLength, NewTokens);
        _positions = cat([promptPositions, decodePositions], 2).DetachFromDisposeScope();

        _prefilled = new KvCache(config.TextConfig.NumHiddenLayers);
        using var output = _thinker.forward(_promptIds, null, PromptPositions(), null, _prefilled, logitsToKeep: 1);
        _firstToken = output.Logits.select(1, -1).argmax(-1).view(Batch, 1).DetachFromDisposeScope();

        // Both decoders must produce the same tokens, or the ratio compares different work.
        var cached = DecodeWithCache();
        var recomputed = DecodeByRecompute();
        if (!cached.SequenceEqual(recomputed))
        {
            throw new InvalidOperationException("Cached and recomputed greedy decoding disagree; the benchmark would compare different work.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _prefilled.Dispose();
        _firstToken.Dispose();
        _positions.Dispose();
        _ropeDeltas.Dispose();
        _promptIds.Dispose();
        _thinker.Dispose();
    }

    /// <summary>One forward over the whole prompt into a fresh cache.</summary>
    [Benchmark(OperationsPerInvoke = PromptLength)]
    public long Prefill()
    {
        using var scope = NewDisposeScope();
        using var cache = new KvCache(_prefilled.Layers);
        using var output = _thinker.forward(_promptIds, null, PromptPositions(), null, cache, logitsToKeep: 1);
        return output.Logits.select(1, -1).argmax(-1).data<long>()[0];
    }

    [Benchmark(OperationsPerInvoke = NewTokens)]
    public long DecodeKvCache() => DecodeWithCache()[^1];

    [Benchmark(Baseline = true, OperationsPerInvoke = NewTokens)]
    public long DecodeFullRecompute() => DecodeByRecompute()[^1];

    /// <summary>
    /// Decoding as <see cref="ThinkerGenerator"/> does it after the prefill: one token per row per
    /// step, positions cache length + rope delta, logits of the last position only.
    /// </summary>
    private long[] DecodeWithCache()
    {
        using var scope = NewDisposeScope();
        using var cache = _prefilled.Clone();
        var tokens = new long[NewTokens * Batch];
        var next = _firstToken;
        for (var step = 0; step < NewTokens; step++)
        {
            using var stepScope = NewDisposeScope();
            var positions = Qwen25OmniRopeIndex.DecodePositions(_ropeDeltas, cache.Length, 1);
            using var output = _thinker.forward(next, null, positions, null, cache, logitsToKeep: 1);
            next = Choose(output, tokens, step).MoveToOuterDisposeScope();
        }
        return tokens;
    }

    /// <summary>The same greedy tokens with no cache: every step runs the whole sequence so far.</summary>
    private long[] DecodeByRecompute()
    {
        using var scope = NewDisposeScope();
        var tokens = new long[NewTokens * Batch];
        var sequence = cat([_promptIds, _firstToken], 1);
        for (var step = 0; step < NewTokens; step++)
        {
            using var stepScope = NewDisposeScope();
            var length = sequence.shape[1];
            using var output = _thinker.forward(sequence, null, _positions.narrow(2, 0, length), logitsToKeep: 1);
            var next = Choose(output, tokens, step);
            sequence = cat([sequence, next], 1).MoveToOuterDisposeScope();
        }
        return tokens;
    }

    private Tensor PromptPositions() => _positions.narrow(2, 0, PromptLength);

    /// <summary>Greedy choice per row, read back to the host as a streaming decoder would.</summary>
    private Tensor Choose(ThinkerOutput output, long[] tokens, int step)
    {
        var chosen = output.Logits.select(1, -1).argmax(-1);
        chosen.data<long>().CopyTo(tokens, step * Batch);
        return chosen.view(Batch, 1);
    }
}
