using System.Diagnostics;

namespace Streamer.KvStore.Tests;

[Trait("Category", "Memory")]
public sealed class RedisTierOutageTests
{
    [Fact]
    public void Tier_fails_fast_while_redis_is_down_and_recovers_when_it_returns()
    {
        using var redis = new RedisServer();
        using var tier = new RedisTier(new RedisTierOptions
        {
            Configuration = redis.Configuration,
            KeyPrefix = "outage:",
            ReconnectInterval = TimeSpan.FromMilliseconds(100),
        });
        Assert.Equal(KvTierStatus.Ok, tier.TryPut(TestBlocks.Create(1)));

        redis.Stop();
        WaitUntil(() => !tier.IsAvailable);

        var clock = Stopwatch.StartNew();
        Assert.Equal(KvTierStatus.Unavailable, tier.TryPut(TestBlocks.Create(2)));
        Assert.Equal(KvTierStatus.Unavailable, tier.TryGet(TestBlocks.Id(1), out _));
        Assert.False(tier.Remove(TestBlocks.Id(1)));
        Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(500), $"took {clock.Elapsed}");
        Assert.True(tier.Stats.Unavailable >= 2);

        redis.Start();
        WaitUntil(() => tier.IsAvailable);

        Assert.Equal(KvTierStatus.Ok, tier.TryPut(TestBlocks.Create(3)));
        Assert.Equal(KvTierStatus.Ok, tier.TryGet(TestBlocks.Id(3), out _));
        // The restarted server kept nothing (no persistence): the old block is gone, and forgotten.
        Assert.Equal(KvTierStatus.NotFound, tier.TryGet(TestBlocks.Id(1), out _));
        Assert.Equal(1, tier.BlocksUsed);
    }

    [Fact]
    public void Tier_starts_while_redis_is_down()
    {
        using var redis = new RedisServer();
        redis.Stop();
        var clock = Stopwatch.StartNew();

        using var tier = new RedisTier(new RedisTierOptions
        {
            Configuration = redis.Configuration,
            ConnectTimeout = TimeSpan.FromMilliseconds(300),
            ReconnectInterval = TimeSpan.FromMilliseconds(100),
        });

        Assert.False(tier.IsAvailable);
        Assert.Equal(KvTierStatus.Unavailable, tier.TryPut(TestBlocks.Create(1)));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
        redis.Start();
        WaitUntil(() => tier.IsAvailable);
        Assert.Equal(KvTierStatus.Ok, tier.TryPut(TestBlocks.Create(1)));
    }

    internal static void WaitUntil(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), "condition not reached in 15 s");
            Thread.Sleep(25);
        }
    }
}
