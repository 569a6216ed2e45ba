using BenchmarkDotNet.Attributes;
using Streamer.KvStore;

namespace Streamer.Benchmarks.Memory;

/// <summary>
/// Writing and reading whole KV blocks in one tier: host memory, disk (segment files in a
/// temporary folder, page cache included) and Redis (a redis-server on loopback, started in
/// setup and stopped in cleanup). A block is the size of one frame pair of Qwen2.5-Omni-3B
/// in bfloat16: 36 layers x (keys, values) x 2 KV heads x 64 tokens x 128 dims = 2.25 MiB, with
/// retrieval keys of 36 x 256 floats. One operation is one block; GB/s = block bytes / mean.
/// Writes cycle over <see cref="Slots"/> ids, replacing earlier blocks, so the tiers stay bounded.
/// </summary>
public class KvTierThroughputBenchmarks
{
    public const int Layers = 36;
    public const int KvHeads = 2;
    public const int Tokens = 64;
    public const int HeadDim = 128;
    public const int PayloadBytes = Layers * 2 * KvHeads * Tokens * HeadDim * 2;
    public const int Slots = 32;

    private KvBlock[] _blocks = null!;
    private IKvTier _tier = null!;
    private RedisProcess? _redis;
    private string? _folder;
    private int _next;

    [Params("host", "disk", "redis")]
    public string Tier { get; set; } = "host";

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(4242);
        _blocks = Enumerable.Range(0, Slots).Select(i => Block(i, random)).ToArray();
        switch (Tier)
        {
            case "host":
                _tier = new HostMemoryTier(new HostMemoryTierOptions());
                break;
            case "disk":
                _folder = Path.Combine(Path.GetTempPath(), "streamer-bench-disk-" + Guid.NewGuid().ToString("N"));
                _tier = new DiskTier(new DiskTierOptions { Directory = _folder, MaxBytes = 2L << 30, SegmentBytes = 64L << 20 });
                break;
            default:
                _redis = new RedisProcess();
                _tier = new RedisTier(new RedisTierOptions { Configuration = _redis.Configuration, OperationTimeout = TimeSpan.FromSeconds(10) });
                break;
        }
        foreach (var block in _blocks)
        {
            if (_tier.TryPut(block) != KvTierStatus.Ok)
            {
                throw new InvalidOperationException($"tier {Tier} refused a block in setup");
            }
        }
        // A read must return the bytes written, or the figure would measure a failure path.
        if (_tier.TryGet(_blocks[3].Id, out var read) != KvTierStatus.Ok || !read!.Payload.Span.SequenceEqual(_blocks[3].Payload.Span))
        {
            throw new InvalidOperationException($"tier {Tier} did not read back what it stored");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _tier.Dispose();
        _redis?.Dispose();
        if (_folder is not null && Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Benchmark]
    public KvTierStatus Write() => _tier.TryPut(_blocks[_next++ % Slots]);

    [Benchmark]
    public int Read()
    {
        _tier.TryGet(_blocks[_next++ % Slots].Id, out var block);
        return block!.Payload.Length;
    }

    private static KvBlock Block(int sequence, Random random)
    {
        var payload = new byte[PayloadBytes];
        random.NextBytes(payload);
        var dimension = KvHeads * HeadDim;
        var keys = Enumerable.Range(0, Layers).Select(_ => Enumerable.Range(0, dimension).Select(_ => (float)random.NextDouble()).ToArray()).ToArray();
        var shapes = Enumerable.Range(0, Layers).Select(_ => new[] { 2, KvHeads, Tokens, HeadDim }).ToArray();
        var positions = new int[3 * Tokens];
        var metadata = new KvBlockMetadata(new KvBlockId("bench", sequence), TimeSpan.FromSeconds(sequence), TimeSpan.FromSeconds(sequence + 1),
            Tokens, "bfloat16", shapes, 3, positions, keys);
        return new KvBlock(metadata, payload);
    }
}
