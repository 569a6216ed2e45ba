using System.Diagnostics;
using Streamer.Models.Generation;
using Streamer.Models.Memory;
using Streamer.Server.Chat;
using Streamer.Server.Models;
using static TorchSharp.torch;

namespace Streamer.Benchmarks.AskLive;

/// <summary>
/// The baseline: the answer path's model work called directly in this thread, with no hub, no
/// queue and no text decoding: the same question ids (<see cref="AnswerPrompt"/>), ReKV retrieval
/// over the same live memory, then <see cref="ThinkerGenerator"/> to the same token limit.
/// </summary>
public static class DirectBaseline
{
    /// <summary>Answers <paramref name="question"/> on this thread and times it like the hub's asker does.</summary>
    public static AskSample MeasureOne(LoadedThinker model, SessionMemory session, string question, int maxTokens)
    {
        var memory = session.Memory ?? throw new InvalidOperationException($"Session {session.SessionId} has no memory.");
        var generation = new GenerationOptions { MaxNewTokens = maxTokens, StopTokenIds = model.StopTokenIds };
        var ids = AnswerPrompt.QuestionIds(model, question);
        var started = Stopwatch.GetTimestamp();
        long first = 0;
        var tokens = 0;
        using (var questionIds = tensor(ids, [1, ids.Length]))
        using (var context = new ReKVRetriever(memory).Retrieve(questionIds))
        {
            // Consumed on this thread: no dispose scope may stay open across an await.
            foreach (var id in new ThinkerGenerator(model.Thinker).StreamAsync(context.Prompt, generation, context.Cache).ToBlockingEnumerable())
            {
                if (tokens++ == 0) first = Stopwatch.GetTimestamp();
                if (model.StopTokenIds.Contains(id)) break;
            }
        }
        var ended = Stopwatch.GetTimestamp();
        if (tokens != maxTokens)
            throw new InvalidOperationException($"Direct baseline: expected {maxTokens} tokens, got {tokens}.");
        var firstMs = Stopwatch.GetElapsedTime(started, first).TotalMilliseconds;
        return new AskSample(firstMs, 0, firstMs, tokens, Stopwatch.GetElapsedTime(first, ended).TotalMilliseconds);
    }
}
