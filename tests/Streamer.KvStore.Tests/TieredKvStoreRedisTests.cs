using StackExchange.Redis;

namespace Streamer.KvStore.Tests;

[Trait("Category", "Memory")]
public sealed class TieredKvStoreRedisTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly RedisServer _redis = new();

    public void Dispose()
    {
        _redis.Dispose();
        _dir.Dispose();
    }

    private TieredKvStore Store(int hostBlocks, int diskBlocks, int redisBlocks) => new(
    [
        new HostMemoryTier(new HostMemoryTierOptions { MaxBlocks = hostBlocks, MaxBytes = 1 << 26 }),
        new DiskTier(new DiskTierOptions { Directory = _dir.Path, MaxBlocks = diskBlocks, MaxBytes = 1 << 26, SegmentBytes = 1 << 20 }),
        new RedisTier(new RedisTierOptions
        {
            Configuration = _redis.Configuration,
            KeyPrefix = "store:",
            ChunkBytes = 2048,
            MaxBlocks = redisBlocks,
            ReconnectInterval = TimeSpan.FromMilliseconds(100),
        }),
    ]);

    [Fact]
    public void Least_recently_used_blocks_cascade_host_to_disk_to_redis()
    {
        using var store = Store(hostBlocks: 2, diskBlocks: 3, redisBlocks: 4);
        for (int i = 1; i <= 9; i++)
        {
            store.Put(TestBlocks.Create(i, payloadBytes: 3000)); // chunked in Redis
        }

        Assert.Equal(["redis", "redis", "redis", "redis", "disk", "disk", "disk", "host", "host"],
            Enumerable.Range(1, 9).Select(i => store.Locate(TestBlocks.Id(i))));

        store.Put(TestBlocks.Create(10, payloadBytes: 3000));

        Assert.Null(store.Locate(TestBlocks.Id(1)));
        Assert.Equal("redis", store.Locate(TestBlocks.Id(5)));
        Assert.Equal(1, store.Snapshot().Drops[KvDropReason.EvictedFromColdest]);

        KvGetResult get = store.Get(TestBlocks.Id(2));
        Assert.Equal("redis", get.Tier);
        TestBlocks.AssertSameBlock(TestBlocks.Create(2, payloadBytes: 3000), get.Block);
        Assert.Equal("host", store.Locate(TestBlocks.Id(2)));
    }

    [Fact]
    public void Store_keeps_working_through_a_redis_outage_and_uses_redis_again_after()
    {
        using var store = Store(hostBlocks: 2, diskBlocks: 3, redisBlocks: 100);
        for (int i = 1; i <= 8; i++)
        {
            store.Put(TestBlocks.Create(i));
        }
        Assert.Equal("redis", store.Locate(TestBlocks.Id(1)));
        IKvTier redisTier = store.Tiers[2];

        _redis.Stop();
        RedisTierOutageTests.WaitUntil(() => !redisTier.IsAvailable);

        for (int i = 9; i <= 14; i++)
        {
            KvPutResult put = store.Put(TestBlocks.Create(i));
            Assert.Equal("host", put.Tier);
            Assert.Equal(KvGetStatus.Hit, store.Get(TestBlocks.Id(i)).Status);
        }
        KvStoreSnapshot during = store.Snapshot();
        Assert.False(during.Tiers[2].IsAvailable);
        Assert.True(during.Tiers[0].IsAvailable);
        // Disk was full and Redis unreachable: the disk's oldest blocks had nowhere to go.
        Assert.True(during.Drops[KvDropReason.NoTierAvailable] > 0);
        // The newest five (2 host + 3 disk) are all still readable.
        for (int i = 10; i <= 14; i++)
        {
            Assert.Equal(KvGetStatus.Hit, store.Get(TestBlocks.Id(i)).Status);
        }
        Assert.Equal(KvGetStatus.Unavailable, store.Get(TestBlocks.Id(1)).Status);

        _redis.Start();
        RedisTierOutageTests.WaitUntil(() => redisTier.IsAvailable);

        for (int i = 15; i <= 20; i++)
        {
            store.Put(TestBlocks.Create(i));
        }
        using var probe = ConnectionMultiplexer.Connect(_redis.Configuration);
        Assert.Equal("redis", store.Locate(TestBlocks.Id(12)));
        Assert.True(probe.GetDatabase().KeyExists("store:cam-1:12"));
        for (int i = 12; i <= 20; i++)
        {
            KvGetResult get = store.Get(TestBlocks.Id(i));
            Assert.Equal(KvGetStatus.Hit, get.Status);
            TestBlocks.AssertSameBlock(TestBlocks.Create(i), get.Block);
        }
        // Block 1 was in the Redis that restarted empty: now a plain miss, and forgotten.
        Assert.Equal(KvGetStatus.Miss, store.Get(TestBlocks.Id(1)).Status);
        Assert.False(store.Contains(TestBlocks.Id(1)));
    }
}
