using System.Diagnostics;
using Microsoft.AspNetCore.SignalR.Client;
using Streamer.Server.Chat;

namespace Streamer.Benchmarks.AskLive;

/// <summary>
/// One chat client on one session: asks its questions one after another over the hub (a
/// session answers one question at a time) and times every answer as it streams in.
/// </summary>
public static class HubAsker
{
    /// <summary>Fixed questions, taken in turn, so every run asks the same.</summary>
    public static readonly string[] Questions =
    [
        "What is moving in the picture?",
        "Which colours do you see?",
        "Describe the scene in one sentence.",
        "Is there any text or number on screen?",
        "What changed in the last few seconds?",
    ];

    public static async Task<List<AskSample>> AskAsync(HubConnection connection, string sessionId, int questions, int maxTokens, CancellationToken cancellationToken)
    {
        var samples = new List<AskSample>(questions);
        for (var q = 0; q < questions; q++)
        {
            samples.Add(await AskOneAsync(connection, sessionId, Questions[q % Questions.Length], maxTokens, cancellationToken).ConfigureAwait(false));
        }
        return samples;
    }

    public static async Task<AskSample> AskOneAsync(HubConnection connection, string sessionId, string question, int maxTokens, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        long first = 0;
        var characters = 0;
        AnswerMetadata? metadata = null;
        await foreach (var chunk in connection.StreamAsync<AnswerChunk>("Ask", sessionId, question, cancellationToken).ConfigureAwait(false))
        {
            if (chunk.Text.Length > 0 && first == 0) first = Stopwatch.GetTimestamp();
            characters += chunk.Text.Length;
            if (chunk.Done) metadata = chunk.Metadata;
        }
        var ended = Stopwatch.GetTimestamp();
        // A broken answer path must not look fast: every answer runs to the token limit with text.
        if (metadata is null || first == 0)
            throw new InvalidOperationException($"Session {sessionId}: the answer ended without {(metadata is null ? "a final chunk with metadata" : "any text")}.");
        if (metadata.FinishReason != "length" || metadata.Tokens != maxTokens || characters == 0)
            throw new InvalidOperationException(
                $"Session {sessionId}: expected {maxTokens} tokens ending at the limit, got {metadata.Tokens} ({metadata.FinishReason}), {characters} characters.");
        return new AskSample(
            Stopwatch.GetElapsedTime(started, first).TotalMilliseconds,
            metadata.QueueMilliseconds,
            metadata.FirstTokenMilliseconds,
            metadata.Tokens,
            Stopwatch.GetElapsedTime(first, ended).TotalMilliseconds);
    }
}
