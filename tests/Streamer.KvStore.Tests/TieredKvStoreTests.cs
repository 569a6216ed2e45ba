namespace Streamer.KvStore.Tests;

[Trait("Category", "Memory")]
public sealed class TieredKvStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private HostMemoryTier Host(int blocks) => new(new HostMemoryTierOptions { MaxBlocks = blocks, MaxBytes = 1 << 26 });

    private DiskTier Disk(int blocks) => new(new DiskTierOptions { Directory = _dir.Path, MaxBlocks = blocks, MaxBytes = 1 << 26, SegmentBytes = 1 << 20 });

    [Fact]
    public void Put_goes_to_the_top_tier_and_get_returns_it()
    {
        using var store = new TieredKvStore([Host(4), Disk(4)]);
        KvBlock block = TestBlocks.Create(1);

        KvPutResult put = store.Put(block);

        Assert.Equal("host", put.Tier);
        KvGetResult get = store.Get(block.Id);
        Assert.Equal(KvGetStatus.Hit, get.Status);
        Assert.Equal("host", get.Tier);
        TestBlocks.AssertSameBlock(block, get.Block);
    }

    [Fact]
    public void Full_top_tier_demotes_its_least_recently_used_block()
    {
        using var store = new TieredKvStore([Host(2), Disk(10)], new KvStoreOptions { PromoteOnGet = false });
        store.Put(TestBlocks.Create(1));
        store.Put(TestBlocks.Create(2));
        store.Get(TestBlocks.Id(1)); // 2 is now least recently used

        store.Put(TestBlocks.Create(3));

        Assert.Equal("host", store.Locate(TestBlocks.Id(1)));
        Assert.Equal("disk", store.Locate(TestBlocks.Id(2)));
        Assert.Equal("host", store.Locate(TestBlocks.Id(3)));
        Assert.Equal(1, store.Snapshot().Tiers[0].DemotedOut);
    }

    [Fact]
    public void Get_from_a_colder_tier_promotes_to_the_top()
    {
        using var store = new TieredKvStore([Host(2), Disk(10)]);
        for (int i = 1; i <= 4; i++)
        {
            store.Put(TestBlocks.Create(i));
        }
        Assert.Equal("disk", store.Locate(TestBlocks.Id(1)));

        KvGetResult get = store.Get(TestBlocks.Id(1));

        Assert.Equal("disk", get.Tier);
        TestBlocks.AssertSameBlock(TestBlocks.Create(1), get.Block);
        Assert.Equal("host", store.Locate(TestBlocks.Id(1)));
        Assert.Equal("disk", store.Locate(TestBlocks.Id(3))); // the host's least recently used made room
        Assert.Equal(2, store.Tiers[0].BlocksUsed);
        Assert.Equal(2, store.Tiers[1].BlocksUsed);
        Assert.Equal(1, store.Snapshot().Tiers[1].Promotions);
    }

    [Fact]
    public void Promotion_into_a_full_top_tier_swaps_and_drops_nothing()
    {
        using var store = new TieredKvStore([Host(2), Disk(2)]);
        for (int i = 1; i <= 4; i++)
        {
            store.Put(TestBlocks.Create(i)); // host {3, 4}, disk {1, 2}
        }

        Assert.Equal(KvGetStatus.Hit, store.Get(TestBlocks.Id(1)).Status);

        Assert.Equal("host", store.Locate(TestBlocks.Id(1)));
        Assert.Equal("disk", store.Locate(TestBlocks.Id(3)));
        Assert.Equal(4, store.Count);
        Assert.Equal(0, store.Snapshot().Drops.Values.Sum());
    }

    [Fact]
    public void Coldest_tier_drops_its_least_recently_used_block_with_a_reason()
    {
        using var store = new TieredKvStore([Host(1), Disk(2)]);
        for (int i = 1; i <= 4; i++)
        {
            store.Put(TestBlocks.Create(i));
        }

        Assert.False(store.Contains(TestBlocks.Id(1)));
        Assert.Equal(KvGetStatus.Miss, store.Get(TestBlocks.Id(1)).Status);
        Assert.Equal(1, store.Snapshot().Drops[KvDropReason.EvictedFromColdest]);
        Assert.False(store.GetIndex(TestBlocks.Session)!.Contains(1));
        Assert.True(store.GetIndex(TestBlocks.Session)!.Contains(2));
    }

    [Fact]
    public void Block_larger_than_the_top_tier_goes_to_the_first_tier_that_fits()
    {
        var host = new HostMemoryTier(new HostMemoryTierOptions { MaxBlocks = 10, MaxBytes = 5000 });
        using var store = new TieredKvStore([host, Disk(10)]);

        KvPutResult put = store.Put(TestBlocks.Create(1, payloadBytes: 20_000));

        Assert.Equal("disk", put.Tier);
    }

    [Fact]
    public void Block_larger_than_every_tier_is_dropped_as_too_large()
    {
        var host = new HostMemoryTier(new HostMemoryTierOptions { MaxBlocks = 10, MaxBytes = 5000 });
        using var store = new TieredKvStore([host]);

        KvPutResult put = store.Put(TestBlocks.Create(1, payloadBytes: 20_000));

        Assert.False(put.Stored);
        Assert.Equal(KvDropReason.TooLarge, put.DropReason);
        Assert.False(store.GetIndex(TestBlocks.Session)!.Contains(1));
    }

    [Fact]
    public void Leased_blocks_are_not_demoted_and_newer_ones_are_instead()
    {
        using var store = new TieredKvStore([Host(2), Disk(10)]);
        store.Put(TestBlocks.Create(1));
        store.Put(TestBlocks.Create(2));

        using (store.Lease([TestBlocks.Id(1), TestBlocks.Id(2)]))
        {
            KvPutResult put = store.Put(TestBlocks.Create(3)); // host is full of leased blocks
            Assert.Equal("disk", put.Tier);
            Assert.Equal("host", store.Locate(TestBlocks.Id(1)));
            Assert.Equal(2, store.Snapshot().LeasedBlocks);
        }

        store.Put(TestBlocks.Create(4));
        Assert.Equal("disk", store.Locate(TestBlocks.Id(1)));
        Assert.Equal(0, store.Snapshot().LeasedBlocks);
    }

    [Fact]
    public void Leased_blocks_stay_in_place_under_concurrent_puts_and_gets()
    {
        using var store = new TieredKvStore([Host(8), Disk(64)]);
        for (int i = 0; i < 8; i++)
        {
            store.Put(TestBlocks.Create(i, payloadBytes: 256));
        }
        KvBlockId[] leased = [TestBlocks.Id(0), TestBlocks.Id(3), TestBlocks.Id(6)];
        using IDisposable lease = store.Lease(leased);

        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, worker =>
        {
            var random = new Random(worker);
            for (int n = 0; n < 150; n++)
            {
                long sequence = 100 + worker * 1000 + n;
                Assert.True(store.Put(TestBlocks.Create(sequence, payloadBytes: 256)).Stored);
                store.Get(TestBlocks.Id(100 + worker * 1000 + random.Next(n + 1)));
                foreach (KvBlockId id in leased)
                {
                    Assert.Equal("host", store.Locate(id));
                }
            }
        });

        foreach (KvBlockId id in leased)
        {
            Assert.Equal("host", store.Locate(id));
        }
        // Promotions swap blocks between the tiers, so the disk may be one or two short of full.
        Assert.InRange(store.Tiers[1].BlocksUsed, 60, 64);
        Assert.True(store.Tiers[0].BlocksUsed <= 8);
        Assert.True(store.Snapshot().Drops[KvDropReason.EvictedFromColdest] > 0);
    }

    [Fact]
    public void Reopening_the_disk_folder_brings_back_blocks_and_index()
    {
        const int dim = 16;
        var random = new Random(41);
        float[] query = TestBlocks.RandomVector(random, dim);
        using (var store = new TieredKvStore([Host(2), Disk(100)]))
        {
            for (int i = 0; i < 30; i++)
            {
                float[] key = i == 17 ? query.Select(v => v * 3).ToArray() : TestBlocks.RandomVector(random, dim);
                store.Put(TestBlocks.Create(i, new byte[500 + i], [key]));
            }
        }

        using var reopened = new TieredKvStore([Host(2), Disk(100)]);

        // The host tier's two blocks were in memory only; the 28 demoted to disk are back.
        Assert.Equal(28, reopened.Count);
        KvBlockIndex index = reopened.GetIndex(TestBlocks.Session)!;
        Assert.Equal(28, index.Count);
        KvBlockMatch best = index.TopK(0, query, 1)[0];
        Assert.Equal(17, best.Id.Sequence);
        KvGetResult get = reopened.Get(best.Id);
        Assert.Equal(KvGetStatus.Hit, get.Status);
        Assert.Equal(517, get.Block!.Payload.Length);
    }

    [Fact]
    public void Corrupt_block_is_reported_with_its_id_and_tier_and_never_returned()
    {
        using (var store = new TieredKvStore([Host(1), Disk(10)]))
        {
            store.Put(TestBlocks.Create(1, payloadBytes: 3000));
            store.Put(TestBlocks.Create(2, payloadBytes: 3000)); // demotes block 1 to disk
        }
        string segment = _dir.SegmentFiles().Single();
        byte[] bytes = File.ReadAllBytes(segment);
        bytes[^500] ^= 0x04;
        File.WriteAllBytes(segment, bytes);
        using var reopened = new TieredKvStore([Host(1), Disk(10)]);

        KvGetResult get = reopened.Get(TestBlocks.Id(1));

        Assert.Equal(KvGetStatus.Corrupt, get.Status);
        Assert.Null(get.Block);
        Assert.Equal(TestBlocks.Id(1), get.Corruption!.BlockId);
        Assert.Equal("disk", get.Corruption.Tier);
        Assert.Equal(KvGetStatus.Miss, reopened.Get(TestBlocks.Id(1)).Status);
        Assert.False(reopened.GetIndex(TestBlocks.Session)!.Contains(1));
        Assert.Equal(1, reopened.Snapshot().Drops[KvDropReason.Corrupt]);
    }

    [Fact]
    public void Remove_session_removes_its_blocks_from_every_tier()
    {
        using var store = new TieredKvStore([Host(2), Disk(10)]);
        for (int i = 0; i < 5; i++)
        {
            store.Put(TestBlocks.Create(i));
            store.Put(TestBlocks.Create(i, session: "other"));
        }

        Assert.Equal(5, store.RemoveSession(TestBlocks.Session));

        Assert.Equal(5, store.Count);
        Assert.Null(store.GetIndex(TestBlocks.Session));
        Assert.Equal(5, store.Tiers.Sum(t => t.BlocksUsed));
    }

    [Fact]
    public void Tier_that_throws_is_skipped_and_nothing_escapes()
    {
        using var store = new TieredKvStore([new ThrowingTier(), Host(4)]);

        KvPutResult put = store.Put(TestBlocks.Create(1));

        Assert.Equal("host", put.Tier);
        Assert.Equal(KvGetStatus.Hit, store.Get(TestBlocks.Id(1)).Status);
    }

    private sealed class ThrowingTier : IKvTier
    {
        public string Name => "broken";

        public KvTierBudget Budget => new(1 << 20, 100);

        public long BytesUsed => 0;

        public int BlocksUsed => 0;

        public bool IsAvailable => true;

        public KvTierStats Stats => default;

        public KvTierStatus TryPut(KvBlock block) => throw new InvalidOperationException("device lost");

        public KvTierStatus TryGet(KvBlockId id, out KvBlock? block) => throw new InvalidOperationException("device lost");

        public bool Remove(KvBlockId id) => throw new InvalidOperationException("device lost");

        public bool Contains(KvBlockId id) => false;

        public IReadOnlyList<KvBlockMetadata> ListBlocks() => throw new InvalidOperationException("device lost");

        public void Dispose()
        {
        }
    }
}
