using Streamer.Models.Memory;
using Streamer.Models.Tests.Fixtures;

namespace Streamer.Models.Tests.Memory;

[Trait("Category", "Memory")]
public sealed class MemoryPolicySelectionTests
{
    public static TheoryData<string> Folders => FixtureData.Folders();

    [Theory]
    [MemberData(nameof(Folders))]
    public void Options_name_the_policy_the_memory_uses_and_rekv_is_the_default(string folder)
    {
        using var model = TinyMemoryModel.Load(folder);
        var thinker = model.Thinker;
        using var store = TinyMemoryModel.HostStore();

        using var byDefault = new StreamingVideoMemory(thinker, store, "default");
        using var rekv = new StreamingVideoMemory(thinker, store, "rekv", new StreamingMemoryOptions { Policy = "rekv" });
        using var live = new StreamingVideoMemory(thinker, store, "live", new StreamingMemoryOptions { Policy = "livevlm" });
        using var flash = new StreamingVideoMemory(thinker, store, "flash", new StreamingMemoryOptions { Policy = "flashvstream" });

        Assert.IsType<ReKVPolicy>(byDefault.Policy);
        Assert.IsType<ReKVPolicy>(rekv.Policy);
        Assert.IsType<LiveVlmPolicy>(live.Policy);
        Assert.IsType<FlashVStreamPolicy>(flash.Policy);
        Assert.Equal(["rekv", "rekv", "livevlm", "flashvstream"], new[] { byDefault, rekv, live, flash }.Select(m => m.Policy.Name));
    }

    [Theory]
    [InlineData("ReKV")]
    [InlineData("infinite")]
    [InlineData("")]
    public void Unknown_policy_name_is_refused_when_options_are_validated(string name) =>
        Assert.Throws<ArgumentException>(() => new StreamingMemoryOptions { Policy = name }.Validate());

    [Theory]
    [MemberData(nameof(Folders))]
    public void Default_policy_context_over_all_blocks_equals_the_rekv_retriever(string folder)
    {
        using var model = TinyMemoryModel.Load(folder);
        using var store = TinyMemoryModel.HostStore();
        using var memory = model.Open(store, "same", sinkSeed: 121, new StreamingMemoryOptions { WindowTokens = 0 });
        memory.AppendFrames(MemoryStream.Frames(6, seed: 122));
        var question = model.Question(seed: 123);

        using var viaPolicy = memory.Policy.Retrieve(question);
        using var direct = new ReKVRetriever(memory).Retrieve(question);

        Assert.Equal(direct.Retrieved, viaPolicy.Retrieved);
        Assert.Equal(3, viaPolicy.Retrieved.Count);
        for (var layer = 0; layer < model.Thinker.TextConfig.NumHiddenLayers; layer++)
        {
            Assert.True(direct.Cache.Keys(layer)!.eq(viaPolicy.Cache.Keys(layer)!).all().item<bool>());
        }
    }
}
