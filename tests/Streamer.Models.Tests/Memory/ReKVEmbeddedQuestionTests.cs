using Streamer.KvStore;
using Streamer.Models.Generation;
using Streamer.Models.Memory;
using Streamer.Models.Tests.Fixtures;
using Streamer.Models.Tests.Qwen25Omni;
using static TorchSharp.torch;

namespace Streamer.Models.Tests.Memory;

[Trait("Category", "Memory")]
public sealed class ReKVEmbeddedQuestionTests
{
    public static TheoryData<string> Folders => FixtureData.Folders();

    [Theory]
    [MemberData(nameof(Folders))]
    public void Question_given_as_its_embeddings_retrieves_and_answers_exactly_as_its_ids(string folder)
    {
        using var thinker = ThinkerFixture.Load(folder);
        using var scope = NewDisposeScope();
        using var store = new TieredKvStore([new HostMemoryTier(new HostMemoryTierOptions())]);
        // A window of one block leaves most blocks to retrieval.
        using var memory = new StreamingVideoMemory(thinker, store, "embedded",
            new StreamingMemoryOptions { WindowTokens = MemoryStream.TokensPerBlock, TopKFrames = 4 }, MemoryStream.Processor());
        memory.PrefillSink(MemoryStream.Row(MemoryStream.SinkIds(thinker.Config, seed: 141)));
        memory.AppendFrames(MemoryStream.Frames(12, seed: 142));
        var question = MemoryStream.Row(MemoryStream.QuestionIds(thinker.Config, seed: 143));
        var retriever = new ReKVRetriever(memory);
        var generation = new GenerationOptions { MaxNewTokens = 8 };

        using var byIds = retriever.Retrieve(question);
        using var idsResult = new ThinkerGenerator(thinker).Generate(byIds.Prompt, generation, byIds.Cache);
        using var byEmbeds = retriever.RetrieveEmbedded(thinker.Embed(question));
        using var embedsResult = new ThinkerGenerator(thinker).Generate(byEmbeds.Prompt, generation, byEmbeds.Cache);

        Assert.Equal(2, byIds.Retrieved.Count);
        Assert.Equal(byIds.Retrieved.Select(m => m.Id), byEmbeds.Retrieved.Select(m => m.Id));
        Assert.Equal(byIds.Window.Select(b => b.Id), byEmbeds.Window.Select(b => b.Id));
        Assert.Null(byEmbeds.Prompt.InputIds);
        Assert.Equal(idsResult.NewTokens[0], embedsResult.NewTokens[0]);
    }
}
