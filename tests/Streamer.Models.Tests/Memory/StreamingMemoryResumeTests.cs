using Streamer.KvStore;
using Streamer.Models.Memory;
using Streamer.Models.Tests.Fixtures;

namespace Streamer.Models.Tests.Memory;

/// <summary>
/// A memory reopened over a disk tier that kept a stream's blocks (a process restart) goes on
/// after them: new blocks take the next numbers, media time continues after the stored end
/// even when the new process's clock starts again at zero, rotary positions follow the stored
/// ones, and a question retrieves old and new blocks together.
/// </summary>
[Trait("Category", "Memory")]
public sealed class StreamingMemoryResumeTests : IDisposable
{
    private const int Before = 4;
    private const int After = 3;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "streamer-resume-" + Guid.NewGuid().ToString("N"));

    public static TheoryData<string> Folders => FixtureData.Folders();

    [Theory]
    [MemberData(nameof(Folders))]
    public void Reopened_memory_continues_numbering_media_time_and_positions_and_retrieves_across_the_restart(string folder)
    {
        using var model = TinyMemoryModel.Load(folder);
        var perSecond = (long)model.Thinker.Config.PositionIdPerSeconds;
        byte[] firstPayload;
        long videoStart;
        using (var store = DiskStore())
        using (var memory = Open(model, store))
        {
            Assert.Null(memory.Resumed);
            videoStart = memory.NextPosition;
            memory.AppendFrames(MemoryStream.Frames(2 * Before, seed: 70));
            firstPayload = store.Get(new KvBlockId("resume", 0)).Block!.Payload.ToArray();
        }

        using var reopened = DiskStore();
        using var restarted = Open(model, reopened);
        // The last stored block starts 3 s in: its time position is the highest so far.
        Assert.Equal(new KvStreamExtent(Before - 1, TimeSpan.Zero, TimeSpan.FromSeconds(Before), (int)(videoStart + (Before - 1) * perSecond)),
            restarted.Resumed);
        Assert.Equal(videoStart + (Before - 1) * perSecond + 1, restarted.NextPosition);

        // The new process's clock starts at zero again.
        var made = restarted.AppendFrames(MemoryStream.Frames(2 * After, seed: 71));

        Assert.Equal(Enumerable.Range(Before, After).Select(i => (long)i), made.Select(b => b.Id.Sequence));
        Assert.Equal(Enumerable.Range(Before, After).Select(i => TimeSpan.FromSeconds(i)), made.Select(b => b.MediaStart));
        Assert.True(reopened.TryGet(made[0].Id, out var firstNew));
        Assert.All(firstNew.Metadata.RotaryPositions.Take(MemoryStream.TokensPerBlock), t => Assert.Equal(videoStart + Before * perSecond, t));
        Assert.Equal(TimeSpan.FromSeconds(Before), firstNew.Metadata.MediaStart);
        Assert.Equal(videoStart + (Before + After - 1) * perSecond + 1, restarted.NextPosition);
        Assert.Equal(firstPayload, reopened.Get(new KvBlockId("resume", 0)).Block!.Payload.ToArray());

        var question = model.Question(seed: 72);
        using var context = restarted.Policy.Retrieve(question, new ReKVQuery { IncludeRecentWindow = false });
        Assert.Equal(Enumerable.Range(0, Before + After).Select(i => (long)i), context.Retrieved.Select(m => m.Id.Sequence));
        Assert.Empty(context.Missing);
        Assert.Equal(restarted.SinkLength + (Before + After) * MemoryStream.TokensPerBlock, context.Cache.Length);
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public void Reopened_memory_whose_first_blocks_are_gone_still_places_new_blocks_after_every_stored_position(string folder)
    {
        using var model = TinyMemoryModel.Load(folder);
        using (var store = DiskStore())
        using (var memory = Open(model, store))
        {
            memory.AppendFrames(MemoryStream.Frames(2 * Before, seed: 73));
            Assert.True(store.Remove(new KvBlockId("resume", 0)));
            Assert.True(store.Remove(new KvBlockId("resume", 1)));
        }

        using var reopened = DiskStore();
        using var restarted = Open(model, reopened);
        var stored = restarted.Resumed!.Value;
        var made = Assert.Single(restarted.AppendFrames(MemoryStream.Frames(2, seed: 74)));

        // Media time alone would put the new block 2 s after the first survivor, before the last one.
        Assert.Equal(TimeSpan.FromSeconds(2), stored.FirstMediaStart);
        Assert.Equal(TimeSpan.FromSeconds(Before), made.MediaStart);
        Assert.True(reopened.TryGet(made.Id, out var block));
        Assert.All(block.Metadata.RotaryPositions.Take(MemoryStream.TokensPerBlock), t => Assert.Equal(stored.MaxRotaryPosition + 1, t));
    }

    private TieredKvStore DiskStore() => new([new DiskTier(new DiskTierOptions { Directory = _folder })]);

    private static StreamingVideoMemory Open(TinyMemoryModel model, TieredKvStore store) =>
        model.Open(store, "resume", sinkSeed: 69, new StreamingMemoryOptions { WindowTokens = 0, TopKFrames = 2 * (Before + After) });

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
