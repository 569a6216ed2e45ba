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
    public static List<AskSample> Measure(LoadedThinker model, SessionMemory session, int questions, int maxTokens)
    {
        var memory = session.Memory ?? throw new InvalidOperationException($"Session {session.SessionId} has no memory.");
        var generation = new GenerationOptions { MaxNewTokens = maxTokens, StopTokenIds = model.StopTokenIds };
        var samples = new List<AskSample>(questions);
        for (var q = 0; q < questions; q++)
        {
            var ids = AnswerPrompt.QuestionIds(model, HubAsker.Questions[q % HubAsker.Questions.Length]);
            var started = Stopwatch.GetTimestamp();
            long first = 0;
            var tokens = 0;
            using (var question = tensor(ids, [1, ids.Length]))
            using (var context = new ReKVRetriever(memory).Retrieve(question))
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
            samples.Add(new AskSample(firstMs, 0, firstMs, tokens, Stopwatch.GetElapsedTime(first, ended).TotalMilliseconds));
        }
        return samples;
    }
}
