using Microsoft.AspNetCore.SignalR.Client;
using Streamer.Benchmarks.GlassToGlass;
using Streamer.Server.Chat;
using Streamer.Server.Models;

namespace Streamer.Benchmarks.AskLive;

/// <summary>
/// The first session's asker: each question is asked once through the hub and once directly,
/// back to back, so both see the same load (ingest, the other sessions' answers) and the ratio
/// of a pair does not swing with what the machine was doing minutes apart. The order flips
/// every pair so neither side always runs right after the other.
/// </summary>
public static class PairedAsker
{
    public static async Task<(List<AskSample> Hub, List<AskSample> Direct)> AskAsync(HubConnection connection, string sessionId,
        LoadedThinker model, SessionMemory memory, int questions, int maxTokens, CancellationToken cancellationToken)
    {
        var hub = new List<AskSample>(questions);
        var direct = new List<AskSample>(questions);
        for (var q = 0; q < questions; q++)
        {
            var question = HubAsker.Questions[q % HubAsker.Questions.Length];
            if (q % 2 == 1) direct.Add(DirectBaseline.MeasureOne(model, memory, question, maxTokens));
            hub.Add(await HubAsker.AskOneAsync(connection, sessionId, question, maxTokens, cancellationToken).ConfigureAwait(false));
            if (q % 2 == 0) direct.Add(DirectBaseline.MeasureOne(model, memory, question, maxTokens));
        }
        return (hub, direct);
    }

    /// <summary>Median over the pairs of the hub's figure over the direct one (1: the hub adds nothing).</summary>
    public static double MedianRatio(IReadOnlyList<AskSample> hub, IReadOnlyList<AskSample> direct, Func<AskSample, double> measure) =>
        LatencyStatistics.Of(hub.Zip(direct, (h, d) => measure(h) / measure(d))).Median;
}
