using Streamer.KvStore;
using Streamer.Models.Memory;
using Streamer.Models.Tests.Fixtures;
using Streamer.Models.Tests.Qwen25Omni;

namespace Streamer.Models.Tests.Memory;

/// <summary>
/// A long stream stays within its budgets: the working cache holds the sink and at most the
/// window, the host tier stays under its bytes, older blocks move to disk, and a question
/// still brings them back exactly as they were stored.
/// </summary>
[Trait("Category", "Memory")]
public sealed class StreamingMemoryBoundsTests : IDisposable
{
    private const int Groups = 10;
    private const int WindowTokens = 2 * MemoryStream.TokensPerBlock;
    private const long HostBytes = 12_000;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "streamer-memory-" + Guid.NewGuid().ToString("N"));

    public static TheoryData<string> Folders => FixtureData.Folders();

    [Theory]
    [MemberData(nameof(Folders))]
    public void Host_tier_and_window_stay_bounded_and_disk_blocks_come_back_on_retrieval(string folder)
    {
        using var model = TinyMemoryModel.Load(folder);
        var thinker = model.Thinker;
        var host = new HostMemoryTier(new HostMemoryTierOptions { MaxBytes = HostBytes });
        var disk = new DiskTier(new DiskTierOptions { Directory = _folder, MaxBytes = 1 << 20, SegmentBytes = 1 << 16 });
        using var tiered = new TieredKvStore([host, disk]);
        using var memory = Open(model, tiered, "bounded");
        using var roomy = TinyMemoryModel.HostStore();
        using var reference = Open(model, roomy, "bounded");
        var frames = MemoryStream.Frames(2 * Groups, seed: 60);
        for (var g = 0; g < Groups; g++)
        {
            memory.AppendFrames(frames[(2 * g)..(2 * g + 2)]);
            reference.AppendFrames(frames[(2 * g)..(2 * g + 2)]);

            Assert.True(host.BytesUsed <= HostBytes, $"host tier holds {host.BytesUsed} bytes after group {g}");
            Assert.True(memory.WindowTokens <= WindowTokens);
            Assert.Equal(memory.SinkLength + memory.WindowTokens, memory.WorkingLength);
        }
        var first = new KvBlockId(memory.SessionId, 0);
        Assert.Equal("disk", tiered.Locate(first));
        Assert.True(disk.BlocksUsed >= Groups / 2, $"only {disk.BlocksUsed} blocks on disk");
        Assert.Equal(0, memory.DroppedBlocks);
        var question = model.Question(seed: 61);

        using var context = new ReKVRetriever(memory).Retrieve(question);
        using var expected = new ReKVRetriever(reference).Retrieve(question);
        // The question forward below appends the question's own positions to the cache.
        using var output = thinker.forward(context.Prompt.InputIds, null, context.Prompt.PositionIds, null, context.Cache);
        using var expectedOutput = thinker.forward(expected.Prompt.InputIds, null, expected.Prompt.PositionIds, null, expected.Cache);

        // Every block before the window fits in the default top-k (64 frames = 32 blocks).
        Assert.Equal(Enumerable.Range(0, Groups - 2).Select(i => (long)i), context.Retrieved.Select(m => m.Id.Sequence));
        Assert.Empty(context.Missing);
        Assert.Equal(memory.SinkLength + Groups * MemoryStream.TokensPerBlock + question.shape[1], context.Cache.Length);
        Assert.True(host.BytesUsed <= HostBytes);
        ThinkerFixture.AssertClose(expectedOutput.Logits, output.Logits, "logits over blocks read back from disk", atol: 0);
    }

    private static StreamingVideoMemory Open(TinyMemoryModel model, TieredKvStore store, string session) =>
        model.Open(store, session, sinkSeed: 62, new StreamingMemoryOptions { WindowTokens = WindowTokens });

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
