namespace Streamer.KvStore.Tests;

[Trait("Category", "Memory")]
public class HostMemoryTierTests
{
    [Fact]
    public void Put_then_get_returns_the_block_and_accounts_its_size()
    {
        using var tier = new HostMemoryTier(new HostMemoryTierOptions { MaxBytes = 1 << 20, MaxBlocks = 10 });
        KvBlock block = TestBlocks.Create(1);

        Assert.Equal(KvTierStatus.Ok, tier.TryPut(block));

        Assert.Equal(KvTierStatus.Ok, tier.TryGet(block.Id, out KvBlock? read));
        TestBlocks.AssertSameBlock(block, read);
        Assert.Equal(block.EncodedLength, tier.BytesUsed);
        Assert.Equal(1, tier.BlocksUsed);
        Assert.True(tier.Remove(block.Id));
        Assert.Equal(KvTierStatus.NotFound, tier.TryGet(block.Id, out _));
        Assert.Equal(0, tier.BytesUsed);
    }

    [Fact]
    public void Put_beyond_the_block_budget_is_refused_without_evicting()
    {
        using var tier = new HostMemoryTier(new HostMemoryTierOptions { MaxBytes = 1 << 20, MaxBlocks = 2 });
        tier.TryPut(TestBlocks.Create(1));
        tier.TryPut(TestBlocks.Create(2));

        Assert.Equal(KvTierStatus.NoRoom, tier.TryPut(TestBlocks.Create(3)));
        Assert.True(tier.Contains(TestBlocks.Id(1)));
        Assert.True(tier.Contains(TestBlocks.Id(2)));
    }

    [Fact]
    public void Put_beyond_the_byte_budget_is_refused_and_a_block_larger_than_the_budget_is_too_large()
    {
        KvBlock block = TestBlocks.Create(1);
        using var tier = new HostMemoryTier(new HostMemoryTierOptions { MaxBytes = block.EncodedLength * 2L - 1, MaxBlocks = 10 });

        Assert.Equal(KvTierStatus.Ok, tier.TryPut(block));
        Assert.Equal(KvTierStatus.NoRoom, tier.TryPut(TestBlocks.Create(2)));
        Assert.Equal(KvTierStatus.TooLarge, tier.TryPut(TestBlocks.Create(3, payloadBytes: 100_000)));
    }

    [Fact]
    public void Replacing_a_block_charges_only_the_new_size()
    {
        using var tier = new HostMemoryTier(new HostMemoryTierOptions { MaxBytes = 1 << 20, MaxBlocks = 1 });
        tier.TryPut(TestBlocks.Create(1, payloadBytes: 100));
        KvBlock bigger = TestBlocks.Create(1, payloadBytes: 900);

        Assert.Equal(KvTierStatus.Ok, tier.TryPut(bigger));
        Assert.Equal(bigger.EncodedLength, tier.BytesUsed);
    }
}
