using System.Diagnostics.Metrics;
using System.Runtime.InteropServices;
using Streamer.KvStore;
using Streamer.Models.Memory;
using TorchSharp;
using static TorchSharp.torch;

namespace Streamer.Models.Tests.Memory;

/// <summary>
/// The device tier on its own, over small float32 blocks decoded on the CPU (the model's device
/// here): least-recently-used order within a block budget, rented blocks kept whatever the
/// budget, and the hit, miss and load figures it reports.
/// </summary>
[Trait("Category", "Memory")]
public sealed class DeviceBlockTierTests
{
    private const int Layers = 2;
    private const int KvHeads = 1;
    private const int Tokens = 3;
    private const int HeadDim = 4;
    private const long BlockBytes = Layers * 2 * KvHeads * Tokens * HeadDim * sizeof(float);

    [Fact]
    public void Least_recently_used_block_is_evicted_and_the_block_budget_holds()
    {
        using var tier = new DeviceBlockTier(2, "lru");
        Rent(tier, 0).Dispose();
        Rent(tier, 1).Dispose();
        // Block 0 is used again, so block 1 is now the least recently used.
        Rent(tier, 0).Dispose();
        Rent(tier, 2).Dispose();

        Assert.Equal([Id(2), Id(0)], tier.Blocks);
        Assert.Equal(2, tier.BlocksUsed);
        Assert.Equal(2 * BlockBytes, tier.BytesUsed);
        Assert.Equal(1, tier.Evictions);
        Assert.False(tier.Contains(Id(1)));
    }

    [Fact]
    public void Rented_block_is_never_evicted_and_a_miss_beyond_the_budget_serves_its_retrieval_alone()
    {
        using var tier = new DeviceBlockTier(1, "rented");
        using var held = Rent(tier, 0);

        var extra = Rent(tier, 1);

        Assert.True(held.Cached);
        Assert.False(extra.Cached);
        Assert.Equal([Id(0)], tier.Blocks);
        Assert.True(tier.IsRented(Id(0)));
        Assert.Equal(0, tier.Evictions);
        // The uncached block's tensors are whole while rented and freed with the rental.
        Assert.Equal(2f, extra.Tensors.Keys[0][0, 0, 0, 0].item<float>());
        var keys = extra.Tensors.Keys[0];
        extra.Dispose();
        Assert.True(keys.IsInvalid);

        held.Dispose();
        Assert.False(tier.IsRented(Id(0)));
        // Returned, block 0 is an ordinary candidate again.
        Rent(tier, 1).Dispose();
        Assert.Equal([Id(1)], tier.Blocks);
        Assert.Equal(1, tier.Evictions);
    }

    [Fact]
    public void Hits_misses_and_loads_are_counted_in_the_tier_its_snapshot_and_its_metrics()
    {
        var measured = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Streamer.KvStore" && instrument.Name.StartsWith("streamer.kvstore.device.", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (Tag(tags, "session") == "counted" && Tag(tags, "tier") == "device")
            {
                lock (measured)
                {
                    measured[instrument.Name] = measured.GetValueOrDefault(instrument.Name) + value;
                }
            }
        });
        listener.Start();
        using var tier = new DeviceBlockTier(4, "counted");
        var loads = 0;

        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < 2; i++)
            {
                using var rental = tier.Rent(Id(i), () =>
                {
                    loads++;
                    return Tensors(i);
                });
            }
        }
        Assert.Null(tier.Rent(Id(9), () => null));

        Assert.Equal(2, loads);
        Assert.Equal(4, tier.Hits);
        Assert.Equal(3, tier.Misses);
        var snapshot = tier.Snapshot();
        Assert.Equal("device", snapshot.Name);
        Assert.Equal((4L, 2, 2 * BlockBytes, 4), (snapshot.Hits, snapshot.BlocksUsed, snapshot.BytesUsed, snapshot.MaxBlocks));
        Assert.Equal(3, snapshot.TierStats.Misses);
        listener.RecordObservableInstruments();
        Assert.Equal(4, measured["streamer.kvstore.device.hits"]);
        Assert.Equal(3, measured["streamer.kvstore.device.misses"]);
        Assert.Equal(2, measured["streamer.kvstore.device.blocks"]);
        Assert.Equal(2 * BlockBytes, measured["streamer.kvstore.device.bytes"]);
    }

    [Fact]
    public void Removed_block_is_dropped_and_its_next_rental_loads_it_again()
    {
        using var tier = new DeviceBlockTier(4, "removed");
        Rent(tier, 0).Dispose();

        Assert.True(tier.Remove(Id(0)));

        Assert.Equal(0, tier.BlocksUsed);
        Assert.Equal(0, tier.BytesUsed);
        Rent(tier, 0).Dispose();
        Assert.Equal(2, tier.Misses);
    }

    [Fact]
    public void Uploads_are_pinned_only_for_a_cuda_device_where_cuda_is_available()
    {
        Assert.True(BlockUpload.UsesPinnedStaging(DeviceType.CUDA, cudaAvailable: true));
        Assert.False(BlockUpload.UsesPinnedStaging(DeviceType.CUDA, cudaAvailable: false));
        Assert.False(BlockUpload.UsesPinnedStaging(DeviceType.CPU, cudaAvailable: true));
        Assert.False(BlockUpload.UsesPinnedStaging(DeviceType.CPU, cudaAvailable: false));
        // This machine: the CPU path, whatever libtorch was built with.
        Assert.False(BlockUpload.UsesPinnedStaging(CPU));
    }

    private static KvBlockId Id(int sequence) => new("tier", sequence);

    private static DeviceBlockRental Rent(DeviceBlockTier tier, int sequence) =>
        tier.Rent(Id(sequence), () => Tensors(sequence)) ?? throw new InvalidOperationException("the load delivers");

    // A block whose every element is sequence + 1.
    private static KvBlockTensors Tensors(int sequence)
    {
        var payload = Enumerable.Repeat(sequence + 1f, (int)(BlockBytes / sizeof(float))).ToArray();
        var shapes = Enumerable.Range(0, Layers).Select(_ => new[] { 2, KvHeads, Tokens, HeadDim }).ToArray();
        var keys = Enumerable.Range(0, Layers).Select(_ => new float[KvHeads * HeadDim]).Select(k => { k[0] = 1; return k; }).ToArray();
        var metadata = new KvBlockMetadata(Id(sequence), TimeSpan.FromSeconds(sequence), TimeSpan.FromSeconds(sequence + 1),
            Tokens, "float32", shapes, 0, [], keys);
        var block = new KvBlock(metadata, MemoryMarshal.AsBytes(payload.AsSpan()).ToArray());
        Assert.True(KvBlockTensors.TryDecode(block, Layers, KvHeads, HeadDim, ScalarType.Float32, CPU, out var tensors));
        return tensors!;
    }

    private static string? Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string name)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == name)
            {
                return tag.Value as string;
            }
        }
        return null;
    }
}
