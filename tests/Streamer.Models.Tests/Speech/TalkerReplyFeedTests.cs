using Streamer.Models.Generation;
using Streamer.Models.Speech;
using Streamer.Models.Tests.Fixtures;
using static TorchSharp.torch;

namespace Streamer.Models.Tests.Speech;

public sealed class TalkerReplyFeedTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("feed-").FullName;

    public static TheoryData<string, string> EndToEndCases => FixtureData.Case("e2e_generate");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // 12 codes over a 7-token reply: steps 1-6 take reply tokens, step 7 the text end, 8-11 the text pad.
    private static readonly TalkerGenerationOptions TwelveCodes = new() { MaxNewTokens = 12, MinNewTokens = 12 };

    [Theory]
    [MemberData(nameof(EndToEndCases))]
    public void Talker_fed_one_reply_token_per_step_yields_the_offline_codes(string folder, string caseName)
    {
        using var e2e = FixtureCase.Open(folder, caseName);
        using var parts = SpeechSynthesizerTests.Parts.Load(folder, e2e, _dir);
        using var scope = NewDisposeScope();
        var reply = parts.Reply(e2e);
        var bos = parts.Speakers.Get("Chelsie").BosTokenId;
        var offlinePrompt = TalkerPromptBuilder.Build(parts.Thinker, parts.Talker.Config, reply.PromptIds, reply.PromptEmbeds, reply.PromptHidden,
            reply.ReplyIds, reply.ReplyHidden, bos, reply.AttentionMask) with
        {
            VideoGridThw = reply.VideoGridThw,
            SecondPerGrids = reply.SecondPerGrids,
        };
        using var offlineCache = new KvCache(parts.Talker.Config.NumHiddenLayers);
        using var offline = new TalkerGenerator(parts.Talker).Generate(offlinePrompt, TwelveCodes, offlineCache);

        var replyTokens = (int)reply.ReplyIds.shape[1];
        using var feed = new TalkerReplyFeed(parts.Thinker)
        {
            AttentionMask = reply.AttentionMask,
            VideoGridThw = reply.VideoGridThw,
            SecondPerGrids = reply.SecondPerGrids,
        };
        feed.SetPrompt(reply.PromptIds, reply.PromptEmbeds, reply.PromptHidden);
        feed.Append(reply.ReplyIds[0, 0].item<long>(), reply.ReplyHidden.narrow(1, 0, 1));
        using var cache = new KvCache(parts.Talker.Config.NumHiddenLayers);
        var codes = new List<int>();
        var tokensKnown = new List<int>();
        foreach (var code in new TalkerGenerator(parts.Talker).StreamAsync(feed, bos, TwelveCodes, cache).ToBlockingEnumerable())
        {
            codes.Add(code);
            tokensKnown.Add(feed.Count);
            // The next reply token arrives only after this code: the talker runs right behind the thinker.
            var next = feed.Count;
            if (next < replyTokens) feed.Append(reply.ReplyIds[0, next].item<long>(), reply.ReplyHidden.narrow(1, next, 1));
            else if (!feed.IsCompleted) feed.Complete();
        }

        Assert.Equal(7, replyTokens);
        Assert.Equal(offline.Codes.Select(c => (int)c), codes);
        Assert.Equal(12, codes.Count);
        // Code k was produced knowing only reply tokens 0..k.
        Assert.Equal(Enumerable.Range(1, replyTokens), tokensKnown.Take(replyTokens));
    }

    [Theory]
    [MemberData(nameof(EndToEndCases))]
    public void Speech_from_a_feed_equals_speech_from_the_finished_reply(string folder, string caseName)
    {
        using var e2e = FixtureCase.Open(folder, caseName);
        using var parts = SpeechSynthesizerTests.Parts.Load(folder, e2e, _dir);
        using var scope = NewDisposeScope();
        var reply = parts.Reply(e2e);
        var synthesizer = parts.Synthesizer(new SpeechSynthesizerOptions { Talker = TwelveCodes, NoiseFrames = 256 });
        var offline = StreamingToken2WavTests.Concat(synthesizer.SynthesizeAsync(reply, "Chelsie", seed: 5).ToBlockingEnumerable().ToList());

        using var feed = new TalkerReplyFeed(parts.Thinker)
        {
            AttentionMask = reply.AttentionMask,
            VideoGridThw = reply.VideoGridThw,
            SecondPerGrids = reply.SecondPerGrids,
        };
        feed.SetPrompt(reply.PromptIds, reply.PromptEmbeds, reply.PromptHidden);
        for (var i = 0; i < reply.ReplyIds.shape[1]; i++) feed.Append(reply.ReplyIds[0, i].item<long>(), reply.ReplyHidden.narrow(1, i, 1));
        feed.Complete();
        var streamed = StreamingToken2WavTests.Concat(synthesizer.SynthesizeAsync(feed, "Chelsie", seed: 5).ToBlockingEnumerable().ToList());

        Assert.Equal(offline.shape, streamed.shape);
        Assert.True(offline.eq(streamed).all().item<bool>(), "the fed reply must speak exactly the offline waveform");
    }

    [Theory]
    [MemberData(nameof(EndToEndCases))]
    public void A_reply_that_ends_before_its_first_token_speaks_nothing(string folder, string caseName)
    {
        using var e2e = FixtureCase.Open(folder, caseName);
        using var parts = SpeechSynthesizerTests.Parts.Load(folder, e2e, _dir);
        using var scope = NewDisposeScope();
        var reply = parts.Reply(e2e);
        using var feed = new TalkerReplyFeed(parts.Thinker);
        feed.SetPrompt(reply.PromptIds, reply.PromptEmbeds, reply.PromptHidden);
        feed.Complete();

        Assert.Empty(parts.Synthesizer(null).SynthesizeAsync(feed, "Chelsie").ToBlockingEnumerable());
    }
}
