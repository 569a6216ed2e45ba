using Streamer.KvStore;
using Streamer.Models.Memory;
using Streamer.Models.Qwen25Omni;
using Streamer.Models.Tests.Fixtures;
using Streamer.Models.Tests.Qwen25Omni;
using static TorchSharp.torch;

namespace Streamer.Models.Tests.Memory;

/// <summary>
/// The device tier inside retrieval on the tiny fixture model: the answer context is the same
/// tensors whether blocks come from the store or from the device, and a repeated question
/// is served from the device without reading the store.
/// </summary>
[Trait("Category", "Memory")]
public sealed class DeviceTierRetrievalTests
{
    private const int Groups = 6;

    public static TheoryData<string> Folders => FixtureData.Folders();

    [Theory]
    [MemberData(nameof(Folders))]
    public void Question_logits_are_identical_with_and_without_the_device_tier_and_a_repeat_reads_nothing_from_the_store(string folder)
    {
        using var model = TinyMemoryModel.Load(folder);
        var thinker = model.Thinker;
        var question = model.Question(seed: 62);
        using var plainStore = TinyMemoryModel.HostStore();
        using var plain = Stream(model, plainStore, deviceBlocks: 0);
        using var cachedStore = TinyMemoryModel.HostStore();
        using var cached = Stream(model, cachedStore, deviceBlocks: Groups);

        var expected = Logits(thinker, plain, question);
        var first = Logits(thinker, cached, question);
        var storeReads = cachedStore.Snapshot().Gets;
        var repeated = Logits(thinker, cached, question);

        ThinkerFixture.AssertClose(expected, first, "logits, blocks loaded from the store", atol: 0);
        ThinkerFixture.AssertClose(expected, repeated, "logits, blocks served from the device", atol: 0);
        Assert.Equal((0L, (long)Groups, 0), (plain.DeviceTier.Hits, plain.DeviceTier.Misses, plain.DeviceTier.BlocksUsed));
        Assert.Equal(((long)Groups, (long)Groups, Groups), (cached.DeviceTier.Hits, cached.DeviceTier.Misses, cached.DeviceTier.BlocksUsed));
        Assert.Equal(storeReads, cachedStore.Snapshot().Gets);
        Assert.Equal(["device", "host"], cached.Snapshot().Tiers.Select(t => t.Name));
        Assert.Equal(Groups, cached.Snapshot().Tiers[0].BlocksUsed);
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public void Device_tier_smaller_than_a_retrieval_keeps_its_budget_and_answers_the_same(string folder)
    {
        using var model = TinyMemoryModel.Load(folder);
        var thinker = model.Thinker;
        var question = model.Question(seed: 63);
        using var plainStore = TinyMemoryModel.HostStore();
        using var plain = Stream(model, plainStore, deviceBlocks: 0);
        using var smallStore = TinyMemoryModel.HostStore();
        using var small = Stream(model, smallStore, deviceBlocks: 2);

        var expected = Logits(thinker, plain, question);
        var first = Logits(thinker, small, question);
        var repeated = Logits(thinker, small, question);

        ThinkerFixture.AssertClose(expected, first, "logits over a full device tier", atol: 0);
        ThinkerFixture.AssertClose(expected, repeated, "logits over a full device tier, repeated", atol: 0);
        // The two blocks kept by the first question are hits; the other four are loaded each time.
        Assert.Equal(2, small.DeviceTier.BlocksUsed);
        Assert.Equal(2L, small.DeviceTier.Hits);
        Assert.Equal(2L * Groups - 2, small.DeviceTier.Misses);
        Assert.False(small.PinnedStaging);
    }

    // Every block leaves the window at once, so retrieval of all of them rebuilds the whole context.
    private static StreamingVideoMemory Stream(TinyMemoryModel model, TieredKvStore store, int deviceBlocks)
    {
        var memory = model.Open(store, "device", sinkSeed: 61,
            new StreamingMemoryOptions { WindowTokens = 0, TopKFrames = 2 * Groups, DeviceBlocks = deviceBlocks });
        memory.AppendFrames(MemoryStream.Frames(2 * Groups, seed: 60));
        return memory;
    }

    private static Tensor Logits(Qwen25OmniThinker thinker, StreamingVideoMemory memory, Tensor question)
    {
        using var context = memory.Policy.Retrieve(question, new ReKVQuery { IncludeRecentWindow = false });
        Assert.Equal(Enumerable.Range(0, Groups).Select(i => (long)i), context.Retrieved.Select(m => m.Id.Sequence));
        using var output = thinker.forward(context.Prompt.InputIds, null, context.Prompt.PositionIds, null, context.Cache);
        return output.Logits.clone();
    }
}
