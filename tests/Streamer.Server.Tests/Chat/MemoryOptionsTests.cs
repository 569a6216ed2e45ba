using Microsoft.Extensions.Options;
using Streamer.Models.Memory;
using Streamer.Server.Chat;
using Streamer.Server.Tests.Infrastructure;

namespace Streamer.Server.Tests.Chat;

public sealed class MemoryOptionsTests
{
    [Theory]
    [InlineData("Policy", "Memory:Policy")]
    [InlineData("DeviceBlocks", "Memory:DeviceBlocks")]
    [InlineData("EncodedQueue", "Memory:EncodedQueue")]
    [InlineData("LiveVlm", "Memory:LiveVlm:KeepRatio")]
    [InlineData("FlashVStream", "Memory:FlashVStream:DetailBlocks")]
    [InlineData("RedisTtl", "Memory:Redis:TtlSeconds")]
    [InlineData("RedisChunk", "Memory:Redis:ChunkBytes")]
    public void Out_of_range_setting_is_named_by_its_key(string broken, string key)
    {
        var options = new MemoryOptions();
        Assert.Null(options.Check());
        switch (broken)
        {
            case "Policy": options.Policy = "everything"; break;
            case "DeviceBlocks": options.DeviceBlocks = -1; break;
            case "EncodedQueue": options.EncodedQueue = 0; break;
            case "LiveVlm": options.LiveVlm = new LiveVlmOptions { KeepRatio = 1.5 }; break;
            case "FlashVStream": options.FlashVStream = new FlashVStreamOptions { Centroids = 2, DetailBlocks = 3 }; break;
            case "RedisTtl": options.Redis.TtlSeconds = -1; break;
            default: options.Redis.ChunkBytes = 0; break;
        }

        Assert.StartsWith(key, options.Check(), StringComparison.Ordinal);
    }

    [Fact]
    public void Session_policy_is_the_requested_one_in_any_case_or_the_configured_default()
    {
        var options = new MemoryOptions { Policy = MemoryPolicyNames.LiveVlm };

        Assert.True(options.TryResolvePolicy(null, out var fallback, out _));
        Assert.True(options.TryResolvePolicy("FlashVStream", out var chosen, out _));
        Assert.False(options.TryResolvePolicy("everything", out _, out var error));

        Assert.Equal("livevlm", fallback);
        Assert.Equal("flashvstream", chosen);
        Assert.Contains("memoryPolicy", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Redis_tier_options_take_the_settings_and_a_per_session_key_prefix()
    {
        var redis = new MemoryRedisOptions { Configuration = "127.0.0.1:6390", TtlSeconds = 600, ChunkBytes = 65536 };

        var tier = redis.ToTierOptions("s1");

        Assert.True(redis.Enabled);
        Assert.False(new MemoryRedisOptions().Enabled);
        Assert.Equal(("127.0.0.1:6390", "streamer:kv:s1:", TimeSpan.FromMinutes(10), 65536), (tier.Configuration, tier.KeyPrefix, tier.Ttl, tier.ChunkBytes));
    }

    [Fact]
    public void Server_refuses_to_start_with_an_unknown_memory_policy_naming_the_setting()
    {
        using var factory = new StreamerFactory().With("Memory:Policy", "everything");

        var error = Assert.Throws<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains("Memory:Policy", error.Message, StringComparison.Ordinal);
    }
}
