using Streamer.Models.Generation;
using Streamer.Models.Memory;
using Streamer.Models.Tests.Fixtures;

namespace Streamer.Models.Tests.Memory;

[Trait("Category", "Memory")]
public sealed class ReKVEmbeddedQuestionTests
{
    public static TheoryData<string> Folders => FixtureData.Folders();

    [Theory]
    [MemberData(nameof(Folders))]
    public void Question_given_as_its_embeddings_retrieves_and_answers_exactly_as_its_ids(string folder)
    {
        using var model = TinyMemoryModel.Load(folder);
        var thinker = model.Thinker;
        using var store = TinyMemoryModel.HostStore();
        // A window of one block leaves most blocks to retrieval.
        using var memory = model.Open(store, "embedded", sinkSeed: 141,
            new StreamingMemoryOptions { WindowTokens = MemoryStream.TokensPerBlock, TopKFrames = 4 });
        memory.AppendFrames(MemoryStream.Frames(12, seed: 142));
        var question = model.Question(seed: 143);
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
