using BenchmarkDotNet.Attributes;
using Streamer.KvStore;
using Streamer.Models.Memory;
using TorchSharp;
using static TorchSharp.torch;

namespace Streamer.Benchmarks.Memory;

/// <summary>
/// Writing and reading whole KV blocks in one tier: the device tier (write: the block's bytes
/// uploaded to the model's device as tensors through the tier's miss path, pinned staging on
/// CUDA; read: the tensors downloaded back to block bytes, what moving a block off the device
/// costs; cuda:0 when CUDA is available, else the CPU), host memory, disk (segment files in a
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
    private IKvTier? _tier;
    private DeviceBlockTier? _device;
    private Device _torchDevice = CPU;
    private RedisProcess? _redis;
    private string? _folder;
    private int _next;

    [Params("device", "host", "disk", "redis")]
    public string Tier { get; set; } = "host";

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(4242);
        _blocks = Enumerable.Range(0, Slots).Select(i => Block(i, random)).ToArray();
        if (Tier == "device")
        {
            SetupDevice();
            return;
        }
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
        _tier?.Dispose();
        _device?.Dispose();
        _redis?.Dispose();
        if (_folder is not null && Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Benchmark]
    public KvTierStatus Write()
    {
        var block = _blocks[_next++ % Slots];
        if (_device is null)
        {
            return _tier!.TryPut(block);
        }
        // Dropped first, so the rental misses and uploads the bytes again.
        _device.Remove(block.Id);
        using var rental = _device.Rent(block.Id, () => Upload(block));
        if (_torchDevice.type == DeviceType.CUDA)
        {
            // The upload is asynchronous on CUDA; time it to the end of the copy.
            cuda.synchronize();
        }
        return rental is null ? KvTierStatus.NotFound : KvTierStatus.Ok;
    }

    [Benchmark]
    public int Read()
    {
        var id = _blocks[_next++ % Slots].Id;
        if (_device is null)
        {
            _tier!.TryGet(id, out var block);
            return block!.Payload.Length;
        }
        return Download(id).Length;
    }

    private void SetupDevice()
    {
        _torchDevice = cuda.is_available() ? CUDA : CPU;
        _device = new DeviceBlockTier(Slots, "bench");
        foreach (var block in _blocks)
        {
            _device.Rent(block.Id, () => Upload(block))?.Dispose();
        }
        if (!Download(_blocks[3].Id).AsSpan().SequenceEqual(_blocks[3].Payload.Span))
        {
            throw new InvalidOperationException("the device tier did not read back what it stored");
        }
    }

    private KvBlockTensors? Upload(KvBlock block) =>
        KvBlockTensors.TryDecode(block, Layers, KvHeads, HeadDim, ScalarType.BFloat16, _torchDevice, out var tensors,
            BlockUpload.UsesPinnedStaging(_torchDevice))
            ? tensors
            : throw new InvalidOperationException("a benchmark block does not decode");

    private byte[] Download(KvBlockId id)
    {
        using var rental = _device!.Rent(id, () => throw new InvalidOperationException("every block is held on the device"))!;
        if (_torchDevice.type == DeviceType.CUDA)
        {
            cuda.synchronize();
        }
        return KvBlockTensors.Encode(rental.Tensors.Keys, rental.Tensors.Values).Payload;
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
