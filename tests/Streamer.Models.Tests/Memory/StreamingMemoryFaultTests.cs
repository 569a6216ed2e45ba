using System.Diagnostics;
using Streamer.KvStore;
using Streamer.KvStore.Tests;
using Streamer.Models.Generation;
using Streamer.Models.Memory;
using Streamer.Models.Processing;
using Streamer.Models.Tests.Fixtures;
using Streamer.Models.Tests.Qwen25Omni;
using static TorchSharp.torch;

namespace Streamer.Models.Tests.Memory;

/// <summary>
/// The memory under faults: a process restart (blocks come back from the disk tier's
/// segments), a damaged block on disk (caught by its checksum, reported, left out of the
/// answer) and a Redis outage mid-stream (the stream goes on over host and disk, and blocks
/// flow to Redis again once it is back).
/// </summary>
[Trait("Category", "Memory")]
public sealed class StreamingMemoryFaultTests : IDisposable
{
    private const int Groups = 10;
    private const int WindowTokens = 2 * MemoryStream.TokensPerBlock;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "streamer-faults-" + Guid.NewGuid().ToString("N"));
    private readonly List<(Tensor Keys, Tensor Values)> _saved = [];

    public static TheoryData<string> Folders => FixtureData.Folders();

    [Theory]
    [MemberData(nameof(Folders))]
    public void Blocks_survive_a_restart_on_disk_and_a_new_memory_answers_from_them_bit_exact(string folder)
    {
        using var model = TinyMemoryModel.Load(folder);
        var question = model.Question(seed: 91);
        long[] onDisk;
        using (var store = OpenDiskStore())
        using (var memory = Open(model, store))
        {
            Stream(memory, seed: 90);
            onDisk = OnDisk(store, memory.SessionId);
            // Retrieval leaves out the window, the two newest blocks, which are also all the host
            // holds (and loses with the process); every older block is on disk.
            using var before = new ReKVRetriever(memory).Retrieve(question);
            Assert.Equal(Enumerable.Range(0, Groups - 2).Select(i => (long)i), onDisk);
            Assert.Equal(onDisk, before.Retrieved.Select(m => m.Id.Sequence));
            SaveCache(before.Cache);
        }

        // A new process: a new store over the same folder, a new memory with the same sink.
        using var reopened = OpenDiskStore();
        using var restarted = Open(model, reopened);
        using var after = new ReKVRetriever(restarted).Retrieve(question);

        Assert.Equal(onDisk, after.Retrieved.Select(m => m.Id.Sequence));
        Assert.Empty(after.Missing);
        // Sink + retrieved blocks, bit for bit what the first process would have answered over.
        var length = restarted.SinkLength + onDisk.Length * MemoryStream.TokensPerBlock;
        Assert.Equal(length, after.Cache.Length);
        for (var layer = 0; layer < _saved.Count; layer++)
        {
            ThinkerFixture.AssertClose(_saved[layer].Keys.narrow(2, 0, length), after.Cache.Keys(layer)!, $"layer {layer} keys after the restart", atol: 0);
            ThinkerFixture.AssertClose(_saved[layer].Values.narrow(2, 0, length), after.Cache.Values(layer)!, $"layer {layer} values after the restart", atol: 0);
        }
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public void Corrupted_block_is_caught_by_its_checksum_reported_as_missing_and_left_out_of_the_answer(string folder)
    {
        using var model = TinyMemoryModel.Load(folder);
        var question = model.Question(seed: 93);
        var query = new ReKVQuery { IncludeRecentWindow = false };
        var damaged = new KvBlockId("faults", 3);
        byte[] payload;
        using (var store = OpenDiskStore())
        using (var memory = Open(model, store))
        {
            Stream(memory, seed: 92);
            Assert.Equal("disk", store.Locate(damaged));
            payload = store.Get(damaged).Block!.Payload.ToArray();
        }
        FlipPayloadByte(payload);

        using var reopened = OpenDiskStore();
        using var restarted = Open(model, reopened);
        var retriever = new ReKVRetriever(restarted);
        using var first = retriever.Retrieve(question, query);

        Assert.Equal([damaged], first.Missing);
        Assert.DoesNotContain(first.Retrieved, m => m.Id == damaged);
        Assert.Equal(Groups - 3, first.Retrieved.Count);
        Assert.Equal(restarted.SinkLength + (Groups - 3) * MemoryStream.TokensPerBlock, first.Cache.Length);
        Assert.Equal(1, reopened.Snapshot().Drops[KvDropReason.Corrupt]);
        Assert.False(reopened.GetIndex(restarted.SessionId)!.Contains(damaged.Sequence));
        // Once reported, the block is gone: the next question no longer chooses it.
        using var second = retriever.Retrieve(question, query);
        Assert.Empty(second.Missing);
        Assert.Equal(first.Retrieved.Select(m => m.Id), second.Retrieved.Select(m => m.Id));
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public void Stream_goes_on_over_host_and_disk_while_redis_is_down_and_uses_redis_again_when_it_returns(string folder)
    {
        using var model = TinyMemoryModel.Load(folder);
        using var redis = new RedisServer();
        var host = new HostMemoryTier(new HostMemoryTierOptions { MaxBlocks = 2 });
        var disk = new DiskTier(new DiskTierOptions { Directory = _folder, MaxBlocks = 4 });
        var shared = new RedisTier(new RedisTierOptions
        {
            Configuration = redis.Configuration,
            KeyPrefix = "faults:",
            ReconnectInterval = TimeSpan.FromMilliseconds(100),
        });
        using var store = new TieredKvStore([host, disk, shared]);
        using var memory = Open(model, store);
        var frames = MemoryStream.Frames(2 * 18, seed: 94);

        // Up: host 8-9, disk 4-7, Redis 0-3.
        Append(memory, frames, 0, 10);
        Assert.Equal(4, shared.BlocksUsed);
        Assert.Equal("redis", store.Locate(new KvBlockId(memory.SessionId, 0)));

        redis.Stop();
        WaitUntil(() => !shared.IsAvailable);
        // Down: the stream goes on; host and disk keep the six newest blocks, as their budgets
        // allow, and the disk's oldest have nowhere to go.
        Append(memory, frames, 10, 14);
        Assert.Equal(0, memory.DroppedBlocks);
        Assert.Equal(memory.SinkLength + WindowTokens, memory.WorkingLength);
        Assert.Equal(Enumerable.Range(8, 6).Select(i => (long)i), Held(store, memory.SessionId, "host", "disk"));
        // Exactly the four blocks with nowhere to go are dropped; whether the outage was already
        // known (no tier available) or discovered by the failing put depends on timing.
        var drops = store.Snapshot().Drops;
        Assert.Equal(4, drops[KvDropReason.NoTierAvailable] + drops[KvDropReason.EvictedFromColdest] + drops[KvDropReason.Lost]);

        redis.Start();
        WaitUntil(() => shared.IsAvailable);
        // Back: the disk's oldest move down to Redis again.
        Append(memory, frames, 14, 18);
        // The store and the tier learn that the restarted Redis lost blocks 0-3 only when they read them.
        Assert.Equal([0L, 1, 2, 3, 8, 9, 10, 11], Held(store, memory.SessionId, "redis"));
        Assert.Equal(8, shared.BlocksUsed);
        Assert.Equal(Enumerable.Range(12, 6).Select(i => (long)i), Held(store, memory.SessionId, "host", "disk"));
        // Exactly the four blocks with nowhere to go are dropped; whether the outage was already
        // known (no tier available) or discovered by the failing put depends on timing.
        var dropsAfter = store.Snapshot().Drops;
        Assert.Equal(4, dropsAfter[KvDropReason.NoTierAvailable] + dropsAfter[KvDropReason.EvictedFromColdest] + dropsAfter[KvDropReason.Lost]);

        var question = model.Question(seed: 95);
        using var context = new ReKVRetriever(memory).Retrieve(question, new ReKVQuery { IncludeRecentWindow = false });
        // Blocks 0-3 went down with the Redis process (no persistence): reported, not used.
        // Everything the budgets kept, Redis's new blocks included, is in the answer.
        Assert.Equal([0L, 1, 2, 3], context.Missing.Select(id => id.Sequence));
        Assert.Equal(Enumerable.Range(8, 10).Select(i => (long)i), context.Retrieved.Select(m => m.Id.Sequence));
        Assert.Equal(memory.SinkLength + 10 * MemoryStream.TokensPerBlock, context.Cache.Length);
        Assert.True(shared.Stats.Hits >= 4, $"Redis served {shared.Stats.Hits} reads");
        Assert.Equal(4, shared.BlocksUsed);
        Assert.Equal(4, store.Snapshot().Drops[KvDropReason.Lost]);
    }

    private void SaveCache(KvCache cache)
    {
        for (var layer = 0; layer < cache.Layers; layer++)
        {
            _saved.Add((cache.Keys(layer)!.clone(), cache.Values(layer)!.clone()));
        }
    }

    // Flips one bit in the middle of the only record holding these payload bytes.
    private void FlipPayloadByte(byte[] payload)
    {
        var hits = Directory.GetFiles(_folder, "*.kvseg")
            .Select(path => (Path: path, Bytes: File.ReadAllBytes(path)))
            .Select(f => (f.Path, f.Bytes, At: f.Bytes.AsSpan().IndexOf(payload)))
            .Where(f => f.At >= 0)
            .ToList();
        var (path, bytes, at) = Assert.Single(hits);
        bytes[at + payload.Length / 2] ^= 0x20;
        File.WriteAllBytes(path, bytes);
    }

    private TieredKvStore OpenDiskStore() =>
        // No promotion, so reads leave the blocks where the test put them.
        new([new HostMemoryTier(new HostMemoryTierOptions { MaxBlocks = 2 }), new DiskTier(new DiskTierOptions { Directory = _folder })],
            new KvStoreOptions { PromoteOnGet = false });

    private static StreamingVideoMemory Open(TinyMemoryModel model, TieredKvStore store) =>
        model.Open(store, "faults", sinkSeed: 89, new StreamingMemoryOptions { WindowTokens = WindowTokens });

    private static void Stream(StreamingVideoMemory memory, int seed) =>
        Append(memory, MemoryStream.Frames(2 * Groups, seed), 0, Groups);

    private static void Append(StreamingVideoMemory memory, TimedFrame[] frames, int fromGroup, int toGroup)
    {
        for (var g = fromGroup; g < toGroup; g++)
        {
            memory.AppendFrames(frames[(2 * g)..(2 * g + 2)]);
        }
    }

    private static long[] OnDisk(TieredKvStore store, string session) => Held(store, session, "disk");

    private static long[] Held(TieredKvStore store, string session, params string[] tiers) =>
        Enumerable.Range(0, 64).Select(i => (long)i)
            .Where(i => store.Locate(new KvBlockId(session, i)) is { } tier && tiers.Contains(tier))
            .ToArray();

    private static void WaitUntil(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), "condition not reached in 15 s");
            Thread.Sleep(25);
        }
    }

    public void Dispose()
    {
        foreach (var (keys, values) in _saved)
        {
            keys.Dispose();
            values.Dispose();
        }
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
