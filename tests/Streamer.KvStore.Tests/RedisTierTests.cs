using StackExchange.Redis;

namespace Streamer.KvStore.Tests;

[Trait("Category", "Memory")]
public sealed class RedisTierTests : IClassFixture<RedisServer>
{
    private readonly RedisServer _redis;

    public RedisTierTests(RedisServer redis) => _redis = redis;

    private RedisTierOptions Options(string prefix, TimeSpan? ttl = null) => new()
    {
        Configuration = _redis.Configuration,
        KeyPrefix = prefix,
        ChunkBytes = 4096,
        Ttl = ttl,
        MaxBytes = 1 << 26,
        MaxBlocks = 1000,
    };

    [Fact]
    public void Small_block_round_trips_as_one_key()
    {
        using var tier = new RedisTier(Options("t1:"));
        using var probe = ConnectionMultiplexer.Connect(_redis.Configuration);
        KvBlock block = TestBlocks.Create(1, payloadBytes: 1000);

        Assert.Equal(KvTierStatus.Ok, tier.TryPut(block));

        Assert.Equal(KvTierStatus.Ok, tier.TryGet(block.Id, out KvBlock? read));
        TestBlocks.AssertSameBlock(block, read);
        byte[]? raw = probe.GetDatabase().StringGet("t1:cam-1:1");
        Assert.Equal(KvBlockCodec.Encode(block), raw);
        Assert.True(tier.IsAvailable);
    }

    [Fact]
    public void Large_block_is_chunked_under_a_manifest_and_reassembled()
    {
        using var tier = new RedisTier(Options("t2:"));
        using var probe = ConnectionMultiplexer.Connect(_redis.Configuration);
        IDatabase db = probe.GetDatabase();
        KvBlock block = TestBlocks.Create(2, payloadBytes: 20_000);
        int chunks = (block.EncodedLength + 4095) / 4096;

        Assert.Equal(KvTierStatus.Ok, tier.TryPut(block));

        byte[]? manifest = db.StringGet("t2:cam-1:2");
        Assert.Equal("KVM1"u8.ToArray(), manifest![..4]);
        for (int i = 0; i < chunks; i++)
        {
            Assert.True(db.KeyExists($"t2:cam-1:2:{i}"), $"chunk {i}");
        }
        Assert.False(db.KeyExists($"t2:cam-1:2:{chunks}"));
        Assert.Equal(KvTierStatus.Ok, tier.TryGet(block.Id, out KvBlock? read));
        TestBlocks.AssertSameBlock(block, read);

        Assert.True(tier.Remove(block.Id));
        Assert.False(db.KeyExists("t2:cam-1:2"));
        Assert.False(db.KeyExists("t2:cam-1:2:0"));
        Assert.Equal(0, tier.BytesUsed);
    }

    [Fact]
    public void Ttl_is_set_on_the_manifest_and_every_chunk()
    {
        using var tier = new RedisTier(Options("t3:", ttl: TimeSpan.FromMinutes(5)));
        using var probe = ConnectionMultiplexer.Connect(_redis.Configuration);
        IDatabase db = probe.GetDatabase();

        tier.TryPut(TestBlocks.Create(3, payloadBytes: 10_000));

        foreach (string key in new[] { "t3:cam-1:3", "t3:cam-1:3:0", "t3:cam-1:3:2" })
        {
            TimeSpan? ttl = db.KeyTimeToLive(key);
            Assert.NotNull(ttl);
            Assert.InRange(ttl.Value, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
        }
    }

    [Fact]
    public void Missing_chunk_makes_the_block_not_found()
    {
        using var tier = new RedisTier(Options("t4:"));
        using var probe = ConnectionMultiplexer.Connect(_redis.Configuration);
        KvBlock block = TestBlocks.Create(4, payloadBytes: 10_000);
        tier.TryPut(block);

        probe.GetDatabase().KeyDelete("t4:cam-1:4:1"); // as if that chunk expired first

        Assert.Equal(KvTierStatus.NotFound, tier.TryGet(block.Id, out _));
        Assert.Equal(0, tier.BlocksUsed);
        Assert.False(probe.GetDatabase().KeyExists("t4:cam-1:4"));
    }

    [Fact]
    public void Damaged_value_is_reported_corrupt_and_deleted()
    {
        using var tier = new RedisTier(Options("t5:"));
        using var probe = ConnectionMultiplexer.Connect(_redis.Configuration);
        KvBlock block = TestBlocks.Create(5, payloadBytes: 500);
        tier.TryPut(block);
        byte[] damaged = KvBlockCodec.Encode(block);
        damaged[^20] ^= 0x01;
        probe.GetDatabase().StringSet("t5:cam-1:5", damaged);

        Assert.Equal(KvTierStatus.Corrupt, tier.TryGet(block.Id, out KvBlock? read));

        Assert.Null(read);
        Assert.False(probe.GetDatabase().KeyExists("t5:cam-1:5"));
    }

    [Fact]
    public void Budget_refuses_blocks_beyond_max_blocks()
    {
        RedisTierOptions options = Options("t6:");
        options.MaxBlocks = 1;
        using var tier = new RedisTier(options);

        Assert.Equal(KvTierStatus.Ok, tier.TryPut(TestBlocks.Create(1)));
        Assert.Equal(KvTierStatus.NoRoom, tier.TryPut(TestBlocks.Create(2)));
    }
}
