namespace Streamer.KvStore.Tests;

public class OptionsTests
{
    [Fact]
    public void Disk_options_reject_a_segment_larger_than_the_budget()
    {
        var options = new DiskTierOptions { Directory = "/tmp/x", MaxBytes = 1000, SegmentBytes = 2000 };
        Assert.Equal(nameof(DiskTierOptions.SegmentBytes), Assert.Throws<KvStoreOptionsException>(options.Validate).Option);
    }

    [Fact]
    public void Disk_options_require_a_directory()
    {
        Assert.Equal(nameof(DiskTierOptions.Directory), Assert.Throws<KvStoreOptionsException>(new DiskTierOptions().Validate).Option);
    }

    [Fact]
    public void Redis_options_reject_non_positive_chunk_size_and_ttl()
    {
        Assert.Equal(nameof(RedisTierOptions.ChunkBytes), Assert.Throws<KvStoreOptionsException>(new RedisTierOptions { ChunkBytes = 0 }.Validate).Option);
        Assert.Equal(nameof(RedisTierOptions.Ttl), Assert.Throws<KvStoreOptionsException>(new RedisTierOptions { Ttl = TimeSpan.Zero }.Validate).Option);
        new RedisTierOptions { Ttl = TimeSpan.FromMinutes(1) }.Validate();
    }

    [Fact]
    public void Host_options_reject_zero_budgets()
    {
        Assert.Equal(nameof(HostMemoryTierOptions.MaxBlocks), Assert.Throws<KvStoreOptionsException>(new HostMemoryTierOptions { MaxBlocks = 0 }.Validate).Option);
        Assert.Equal(nameof(HostMemoryTierOptions.MaxBytes), Assert.Throws<KvStoreOptionsException>(new HostMemoryTierOptions { MaxBytes = -1 }.Validate).Option);
    }

    [Fact]
    public void Top_k_options_reject_a_negative_radius()
    {
        Assert.Throws<KvStoreOptionsException>(new KvTopKOptions { SmoothingRadius = -1 }.Validate);
    }

    [Fact]
    public void Store_rejects_duplicate_tier_names()
    {
        Assert.Throws<ArgumentException>(() => new TieredKvStore(
            [new HostMemoryTier(new HostMemoryTierOptions()), new HostMemoryTier(new HostMemoryTierOptions())]));
    }
}
