namespace Streamer.KvStore.Tests;

[Trait("Category", "Memory")]
public class DiskTierTests
{
    private static DiskTierOptions Options(TempDirectory dir, long maxBytes = 1 << 24, long segmentBytes = 1 << 20) =>
        new() { Directory = dir.Path, MaxBytes = maxBytes, SegmentBytes = segmentBytes, MaxBlocks = 10_000 };

    [Fact]
    public void Put_then_get_returns_the_block()
    {
        using var dir = new TempDirectory();
        using var tier = new DiskTier(Options(dir));
        KvBlock block = TestBlocks.Create(1, payloadBytes: 4096);

        Assert.Equal(KvTierStatus.Ok, tier.TryPut(block));

        Assert.Equal(KvTierStatus.Ok, tier.TryGet(block.Id, out KvBlock? read));
        TestBlocks.AssertSameBlock(block, read);
        Assert.Equal(block.EncodedLength, tier.BytesUsed);
    }

    [Fact]
    public void Blocks_and_removals_survive_reopening_the_folder()
    {
        using var dir = new TempDirectory();
        var blocks = Enumerable.Range(0, 20).Select(i => TestBlocks.Create(i, payloadBytes: 2000)).ToList();
        using (var tier = new DiskTier(Options(dir, segmentBytes: 10_000)))
        {
            blocks.ForEach(b => Assert.Equal(KvTierStatus.Ok, tier.TryPut(b)));
            Assert.True(tier.Remove(TestBlocks.Id(5)));
            Assert.True(tier.Remove(TestBlocks.Id(17)));
        }

        using var reopened = new DiskTier(Options(dir, segmentBytes: 10_000));

        Assert.Equal(18, reopened.BlocksUsed);
        Assert.False(reopened.Contains(TestBlocks.Id(5)));
        Assert.False(reopened.Contains(TestBlocks.Id(17)));
        foreach (KvBlock block in blocks.Where(b => b.Id.Sequence is not 5 and not 17))
        {
            Assert.Equal(KvTierStatus.Ok, reopened.TryGet(block.Id, out KvBlock? read));
            TestBlocks.AssertSameBlock(block, read);
        }
        Assert.Equal(blocks.Where(b => b.Id.Sequence is not 5 and not 17).Select(b => b.Id), reopened.ListBlocks().Select(m => m.Id));
        Assert.Equal(0, reopened.CorruptRecordsAtOpen);
    }

    [Fact]
    public void A_replaced_block_reopens_as_its_latest_version()
    {
        using var dir = new TempDirectory();
        KvBlock second = TestBlocks.Create(1, payloadBytes: 777);
        using (var tier = new DiskTier(Options(dir)))
        {
            tier.TryPut(TestBlocks.Create(1, payloadBytes: 100));
            tier.TryPut(second);
        }

        using var reopened = new DiskTier(Options(dir));

        Assert.Equal(KvTierStatus.Ok, reopened.TryGet(second.Id, out KvBlock? read));
        TestBlocks.AssertSameBlock(second, read);
        Assert.Equal(1, reopened.BlocksUsed);
    }

    [Fact]
    public void Flipped_payload_byte_in_a_segment_is_reported_corrupt_and_never_returned()
    {
        using var dir = new TempDirectory();
        KvBlock block = TestBlocks.Create(3, payloadBytes: 4000);
        using (var tier = new DiskTier(Options(dir)))
        {
            tier.TryPut(TestBlocks.Create(2, payloadBytes: 4000));
            tier.TryPut(block);
        }
        string segment = dir.SegmentFiles().Single();
        byte[] bytes = File.ReadAllBytes(segment);
        bytes[^100] ^= 0x10; // inside the second block's payload
        File.WriteAllBytes(segment, bytes);

        using var reopened = new DiskTier(Options(dir));

        Assert.Equal(KvTierStatus.Corrupt, reopened.TryGet(block.Id, out KvBlock? read));
        Assert.Null(read);
        Assert.Equal(1, reopened.Stats.Corrupt);
        Assert.Equal(KvTierStatus.NotFound, reopened.TryGet(block.Id, out _));
        Assert.Equal(KvTierStatus.Ok, reopened.TryGet(TestBlocks.Id(2), out _));
    }

    [Fact]
    public void Damaged_record_header_is_counted_at_open_and_earlier_records_survive()
    {
        using var dir = new TempDirectory();
        KvBlock first = TestBlocks.Create(1, payloadBytes: 500);
        using (var tier = new DiskTier(Options(dir)))
        {
            tier.TryPut(first);
            tier.TryPut(TestBlocks.Create(2, payloadBytes: 500));
        }
        string segment = dir.SegmentFiles().Single();
        byte[] bytes = File.ReadAllBytes(segment);
        bytes[first.EncodedLength + 30] ^= 0xFF; // the second record's metadata
        File.WriteAllBytes(segment, bytes);

        using var reopened = new DiskTier(Options(dir));

        Assert.Equal(1, reopened.CorruptRecordsAtOpen);
        Assert.True(reopened.Contains(first.Id));
        Assert.False(reopened.Contains(TestBlocks.Id(2)));
    }

    [Fact]
    public void Segment_whose_blocks_were_all_removed_is_deleted()
    {
        using var dir = new TempDirectory();
        using var tier = new DiskTier(Options(dir, segmentBytes: 5000));
        for (int i = 0; i < 6; i++)
        {
            tier.TryPut(TestBlocks.Create(i, payloadBytes: 2000)); // two blocks per segment
        }
        Assert.Equal(3, dir.SegmentFiles().Length);

        tier.Remove(TestBlocks.Id(0));
        tier.Remove(TestBlocks.Id(1));

        Assert.Equal(2, dir.SegmentFiles().Length);
        Assert.DoesNotContain(dir.SegmentFiles(), f => f.EndsWith("00000001.kvseg", StringComparison.Ordinal));
    }

    [Fact]
    public void Tombstone_segment_is_kept_while_the_record_it_hides_still_exists()
    {
        using var dir = new TempDirectory();
        using (var tier = new DiskTier(Options(dir, segmentBytes: 5000)))
        {
            for (int i = 0; i < 4; i++)
            {
                tier.TryPut(TestBlocks.Create(i, payloadBytes: 2000)); // segments 1: {0,1}, 2: {2,3}
            }
            tier.Remove(TestBlocks.Id(0)); // tombstone lands in segment 2, hiding a record in segment 1
            tier.Remove(TestBlocks.Id(2));
            tier.Remove(TestBlocks.Id(3)); // segment 2 has no live block but still hides block 0
        }

        using var reopened = new DiskTier(Options(dir, segmentBytes: 5000));

        Assert.False(reopened.Contains(TestBlocks.Id(0)));
        Assert.True(reopened.Contains(TestBlocks.Id(1)));
        Assert.Equal(1, reopened.BlocksUsed);
    }

    [Fact]
    public void Files_over_the_byte_bound_drop_the_oldest_segment_with_a_count()
    {
        using var dir = new TempDirectory();
        int size = TestBlocks.Create(0, payloadBytes: 2000).EncodedLength;
        // Room for 6 live blocks; segments of 2 blocks each.
        using var tier = new DiskTier(Options(dir, maxBytes: size * 6L + 200, segmentBytes: size * 2L + 100));
        for (int i = 0; i < 6; i++)
        {
            tier.TryPut(TestBlocks.Create(i, payloadBytes: 2000));
        }
        // Removing block 2 frees budget but its tombstone and record still take file space.
        tier.Remove(TestBlocks.Id(2));

        Assert.Equal(KvTierStatus.Ok, tier.TryPut(TestBlocks.Create(6, payloadBytes: 2000)));

        Assert.False(tier.Contains(TestBlocks.Id(0)));
        Assert.False(tier.Contains(TestBlocks.Id(1)));
        Assert.Equal(2, tier.Stats.Dropped);
        Assert.True(tier.FileBytes <= tier.Budget.MaxBytes);
        Assert.True(tier.Contains(TestBlocks.Id(6)));
    }

    [Fact]
    public void Garbage_segment_file_opens_without_throwing()
    {
        using var dir = new TempDirectory();
        var random = new Random(77);
        for (int n = 1; n <= 20; n++)
        {
            var garbage = new byte[random.Next(0, 4000)];
            random.NextBytes(garbage);
            if (n % 2 == 0 && garbage.Length > 8)
            {
                "KVT1"u8.CopyTo(garbage); // a tombstone magic with nonsense after it
            }
            File.WriteAllBytes(Path.Combine(dir.Path, $"{n:D8}.kvseg"), garbage);
        }

        using var tier = new DiskTier(Options(dir));

        Assert.Equal(0, tier.BlocksUsed);
        Assert.Equal(KvTierStatus.Ok, tier.TryPut(TestBlocks.Create(1)));
    }
}
