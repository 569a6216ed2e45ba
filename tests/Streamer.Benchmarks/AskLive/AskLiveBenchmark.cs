using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Streamer.Benchmarks.GlassToGlass;
using Streamer.Benchmarks.Rtsp;
using Streamer.Server.Chat;
using Streamer.Server.Ingest;
using Streamer.Server.Models;

namespace Streamer.Benchmarks.AskLive;

/// <summary>
/// Runs the real server in this process (Kestrel on loopback, random tiny model on the CPU) and,
/// for each session count, pulls that many RTSP sessions of one GStreamer server at the sampling
/// rate, measures the ingest-to-memory lag with ingest alone, then has one SignalR client per
/// session ask its questions all at once, the first session alternating them with the direct
/// baseline so both see the same load.
/// </summary>
public sealed class AskLiveBenchmark(AskLiveOptions options, TextWriter log)
{
    private const string Token = StreamerHost.Token;
    private const string Mount = "camera";

    // Every session pulls the clip from its start, so it must outlast the longest case.
    private const int ClipSeconds = 900;
    private static readonly TimeSpan MemoryTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);
    private const int WarmUpQuestions = 3;

    public int MaxSessions => options.SessionCounts.Max();

    /// <summary>The configuration the server runs with, besides its defaults; printed in the report.</summary>
    public IReadOnlyDictionary<string, string> Settings(string kvFolder) => new Dictionary<string, string>
    {
        ["Sessions:MaxSessionsPerToken"] = Invariant(MaxSessions),
        ["Chat:MaxNewTokens"] = Invariant(options.MaxNewTokens),
        // Each session has at most one question in flight, so this never refuses one.
        ["Chat:GenerationQueueCapacity"] = Invariant(Math.Max(16, MaxSessions)),
        ["Memory:DiskFolder"] = kvFolder,
    };

    public async Task<IReadOnlyList<AskLiveRun>> RunAsync(CancellationToken cancellationToken)
    {
        log.WriteLine($"Encoding the {AskClip.Width}x{AskClip.Height} clip ({ClipSeconds} s)...");
        using var clip = AskClip.Encode(ClipSeconds);
        using var camera = new IngestServer(new Dictionary<string, string> { [Mount] = clip.Path });
        var kvFolder = Directory.CreateTempSubdirectory("streamer-ask-live-kv-").FullName;
        try
        {
            await using var host = StreamerHost.Start(Settings(kvFolder));
            using var lag = new IngestLagRecorder();
            var model = await host.Services.GetRequiredService<ThinkerHost>().Loaded.WaitAsync(cancellationToken).ConfigureAwait(false);
            log.WriteLine($"Model: {model.Name} on {model.Device}");

            // JIT tiering, pools and the first RTSP connection would land in the first case.
            log.WriteLine("  warm-up session (not reported)");
            await MeasureAsync(host, camera, model, lag, 1, WarmUpQuestions, idleSeconds: 1, cancellationToken).ConfigureAwait(false);

            var runs = new List<AskLiveRun>();
            foreach (var sessions in options.SessionCounts)
            {
                log.WriteLine($"  {sessions} session(s), {options.Questions} questions each, {options.MaxNewTokens} tokens per answer");
                runs.Add(await MeasureAsync(host, camera, model, lag, sessions, options.Questions, options.IdleSeconds, cancellationToken).ConfigureAwait(false));
            }
            return runs;
        }
        finally
        {
            if (Directory.Exists(kvFolder)) Directory.Delete(kvFolder, recursive: true);
        }
    }

    private async Task<AskLiveRun> MeasureAsync(StreamerHost host, IngestServer camera, LoadedThinker model, IngestLagRecorder lag,
        int count, int questions, int idleSeconds, CancellationToken cancellationToken)
    {
        using var http = host.Client();
        var ids = new List<string>();
        var connections = new List<HubConnection>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var response = await http.PostAsJsonAsync("/api/sources", new { url = camera.Url(Mount), sampleFps = options.SampleFps }, cancellationToken).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                    throw new InvalidOperationException($"POST /api/sources answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)}");
                ids.Add((await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken).ConfigureAwait(false)).GetProperty("id").GetString()!);
            }
            foreach (var _ in ids) connections.Add(await ConnectAsync(host, cancellationToken).ConfigureAwait(false));
            await WaitForMemoryAsync(connections[0], ids, cancellationToken).ConfigureAwait(false);
            await Task.Delay(Settle, cancellationToken).ConfigureAwait(false);

            var counters = new SessionCounters(host.Services, ids);
            var before = counters.Take();
            lag.Take();
            await Task.Delay(TimeSpan.FromSeconds(idleSeconds), cancellationToken).ConfigureAwait(false);
            var idleLag = lag.Take();

            var memory = host.Services.GetRequiredService<SessionMemories>().Find(ids[0])
                ?? throw new InvalidOperationException($"Session {ids[0]} lost its memory.");
            using var self = Process.GetCurrentProcess();
            var cpuBefore = self.TotalProcessorTime;
            var asking = Stopwatch.GetTimestamp();
            // The first session alternates hub and direct questions while the others ask through the hub.
            var first = PairedAsker.AskAsync(connections[0], ids[0], model, memory, questions, options.MaxNewTokens, cancellationToken);
            var others = ids.Skip(1).Select((id, i) =>
                HubAsker.AskAsync(connections[i + 1], id, questions, options.MaxNewTokens, cancellationToken)).ToList();
            await Task.WhenAll([first, .. others]).ConfigureAwait(false);
            var questionSeconds = Stopwatch.GetElapsedTime(asking).TotalSeconds;
            self.Refresh();
            var cpu = (self.TotalProcessorTime - cpuBefore).TotalSeconds;
            var askingLag = lag.Take();
            var after = counters.Take();
            var (firstHub, direct) = await first.ConfigureAwait(false);

            return new AskLiveRun
            {
                Sessions = count,
                IdleLagMs = idleLag,
                AskingLagMs = askingLag,
                Hub = [.. firstHub, .. others.SelectMany(t => t.Result)],
                FirstSessionHub = firstHub,
                Direct = direct,
                QuestionSeconds = questionSeconds,
                QuestionCpuCores = cpu / questionSeconds,
                MeasuredSeconds = Stopwatch.GetElapsedTime(before.Timestamp, after.Timestamp).TotalSeconds,
                FramesDecoded = after.FramesDecoded - before.FramesDecoded,
                FramesInMemory = after.FramesInMemory - before.FramesInMemory,
                DecoderDropped = after.DecoderDropped - before.DecoderDropped,
                MemoryFramesDropped = after.MemoryFramesDropped - before.MemoryFramesDropped,
                BlocksDropped = after.BlocksDropped - before.BlocksDropped,
            };
        }
        finally
        {
            foreach (var connection in connections) await connection.DisposeAsync().ConfigureAwait(false);
            foreach (var id in ids) await http.DeleteAsync(new Uri($"/api/sessions/{id}", UriKind.Relative), CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static async Task<HubConnection> ConnectAsync(StreamerHost host, CancellationToken cancellationToken)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(host.BaseAddress, "/hubs/chat"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(Token))
            .Build();
        try
        {
            await connection.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return connection;
    }

    // Through the hub, as a client would: a question needs a block in memory, and two make the
    // recent window and the store both non-empty.
    private static async Task WaitForMemoryAsync(HubConnection connection, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(MemoryTimeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            var stats = new List<SessionEvent>();
            foreach (var id in ids) stats.Add(await connection.InvokeAsync<SessionEvent>("Join", id, cancellationToken).ConfigureAwait(false));
            if (stats.FirstOrDefault(s => s.MemoryError is not null) is { } failed)
                throw new InvalidOperationException($"The memory stage of session {failed.SessionId} failed: {failed.MemoryError}");
            if (stats.All(s => s.Blocks >= 2)) return;
            if (Stopwatch.GetTimestamp() > deadline)
                throw new TimeoutException($"Not every session had 2 memory blocks within {MemoryTimeout.TotalSeconds} s: "
                    + string.Join(", ", stats.Select(s => $"{s.SessionId} {s.State} decoded {s.FramesDecoded} blocks {s.Blocks}")));
            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The sessions' counters summed, read in-process.</summary>
    private sealed class SessionCounters(IServiceProvider services, IReadOnlyList<string> ids)
    {
        private readonly Server.Sessions.SessionRegistry _registry = services.GetRequiredService<Server.Sessions.SessionRegistry>();
        private readonly SessionMemories _memories = services.GetRequiredService<SessionMemories>();

        public Sample Take()
        {
            var sessions = _registry.All.Where(s => ids.Contains(s.Id)).OfType<IngestSession>().ToList();
            var memories = ids.Select(_memories.Find).OfType<SessionMemory>().ToList();
            if (sessions.Count != ids.Count || memories.Count != ids.Count)
                throw new InvalidOperationException($"{ids.Count - sessions.Count} session(s) and {ids.Count - memories.Count} memory stage(s) ended during the run.");
            return new Sample(
                Stopwatch.GetTimestamp(),
                sessions.Sum(s => s.Video.FramesDecoded),
                memories.Sum(m => m.FramesStored),
                sessions.Sum(s => s.Decoder.Metrics.Dropped),
                memories.Sum(m => m.FramesDropped),
                memories.Sum(m => m.DroppedBlocks));
        }
    }

    private readonly record struct Sample(long Timestamp, long FramesDecoded, long FramesInMemory, long DecoderDropped, long MemoryFramesDropped, long BlocksDropped);
}
