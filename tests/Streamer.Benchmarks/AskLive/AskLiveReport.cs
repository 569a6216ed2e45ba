using System.Globalization;
using System.Text;
using Streamer.Benchmarks.GlassToGlass;

namespace Streamer.Benchmarks.AskLive;

/// <summary>
/// The markdown report of an <c>ask-live</c> run: per session count, the ingest-to-memory lag
/// and drops, then time to first token and tokens per second through the hub as ratios to the
/// direct baseline asked beside them in the same case (above 1: slower than calling the model directly).
/// </summary>
public static class AskLiveReport
{
    public static string Format(IReadOnlyList<AskLiveRun> runs, AskLiveOptions options, string machine)
    {
        var text = new StringBuilder();
        text.AppendLine(Invariant(
            $"Ask the live stream: N RTSP sessions of one {AskClip.Width}x{AskClip.Height} {AskClip.FrameRate} fps H.264 clip (keyframe every {AskClip.KeyframeInterval} frames) from GStreamer's RTSP server on 127.0.0.1, {options.SampleFps:0.#} fps into memory; random tiny model on the CPU; one SignalR client (JSON) per session asks {options.Questions} questions in a row, all sessions at once, {options.MaxNewTokens} tokens per answer, one answer generated at a time (Chat:ConcurrentGenerations 1). {machine}"));
        text.AppendLine();
        text.AppendLine(Invariant($"Ingest to memory (lag per block: from the decode of its newest frame to the block in memory; idle: {options.IdleSeconds} s of ingest alone; asking: during the questions):"));
        text.AppendLine();
        text.AppendLine("| Sessions | Frames into memory /s per session | Decoded fps per session | Blocks idle | Lag idle p50 ms | Lag idle p95 ms | Blocks asking | Lag asking p50 ms | Lag asking p95 ms | Lag asking max ms | Dropped: decoder | Dropped: memory frames | Dropped: blocks |");
        text.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var run in runs)
        {
            var idle = LatencyStatistics.Of(run.IdleLagMs);
            var asking = LatencyStatistics.Of(run.AskingLagMs);
            text.AppendLine(Invariant(
                $"| {run.Sessions} | {run.MemoryFpsPerSession:0.00} | {run.FramesDecoded / run.MeasuredSeconds / run.Sessions:0.0} | {idle.Count} | {Ms(idle.Median)} | {Ms(idle.P95)} | {asking.Count} | {Ms(asking.Median)} | {Ms(asking.P95)} | {Ms(asking.Max)} | {run.DecoderDropped} | {run.MemoryFramesDropped} | {run.BlocksDropped} |"));
        }

        text.AppendLine();
        text.AppendLine("Answers (time to first token: through the hub from invoking Ask to the first text chunk; direct: retrieval and generation called in-process on the first session, no hub, no queue, asked back to back with each of its hub questions (order flipping every pair) while every session runs; ratios are hub over direct: all hub answers against the direct ones, and paired: the median over the first session's pairs; tokens/s: per answer, tokens after the first over the time from the first to the last):");
        text.AppendLine();
        text.AppendLine("| Sessions | Answers | TTFT hub p50 ms | TTFT hub p95 ms | Server queue p50 ms | Server first token p50 ms | TTFT direct p50 ms | TTFT direct p95 ms | Ratio p50 | Ratio p95 | TTFT hub first session p50 ms | Ratio paired p50 | Tokens/s hub (median) | Tokens/s direct (median) | Ratio tokens/s | Ratio tokens/s paired | Tokens/s all | CPU cores busy |");
        text.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var run in runs)
        {
            var hub = LatencyStatistics.Of(run.Hub.Select(s => s.FirstTokenMs));
            var direct = LatencyStatistics.Of(run.Direct.Select(s => s.FirstTokenMs));
            var queue = LatencyStatistics.Of(run.Hub.Select(s => s.ServerQueueMs));
            var server = LatencyStatistics.Of(run.Hub.Select(s => s.ServerFirstTokenMs));
            var hubRate = LatencyStatistics.Of(run.Hub.Select(s => s.TokensPerSecond)).Median;
            var directRate = LatencyStatistics.Of(run.Direct.Select(s => s.TokensPerSecond)).Median;
            var firstHub = LatencyStatistics.Of(run.FirstSessionHub.Select(s => s.FirstTokenMs)).Median;
            var paired = PairedAsker.MedianRatio(run.FirstSessionHub, run.Direct, s => s.FirstTokenMs);
            var pairedRate = PairedAsker.MedianRatio(run.FirstSessionHub, run.Direct, s => s.TokensPerSecond);
            text.AppendLine(Invariant(
                $"| {run.Sessions} | {run.Hub.Count} | {hub.Median:0.0} | {hub.P95:0.0} | {queue.Median:0.0} | {server.Median:0.0} | {direct.Median:0.0} | {direct.P95:0.0} | {hub.Median / direct.Median:0.00} | {hub.P95 / direct.P95:0.00} | {firstHub:0.0} | {paired:0.00} | {hubRate:0} | {directRate:0} | {hubRate / directRate:0.00} | {pairedRate:0.00} | {run.AggregateTokensPerSecond:0} | {run.QuestionCpuCores:0.00} |"));
        }

        text.AppendLine();
        if (runs.FirstOrDefault(r => r.Sessions == 1) is { } single)
        {
            var client = LatencyStatistics.Of(single.Hub.Select(s => s.FirstTokenMs));
            var server = LatencyStatistics.Of(single.Hub.Select(s => s.ServerQueueMs + s.ServerFirstTokenMs));
            var overhead = LatencyStatistics.Of(single.Hub.Select(s => s.FirstTokenMs - s.ServerQueueMs - s.ServerFirstTokenMs));
            text.AppendLine(Invariant(
                $"- One session, question to first token: **{client.Median:0.0} ms** median client-observed (p95 {client.P95:0.0}) against {server.Median:0.0} ms on the server (queueMs + firstTokenMs); the hub, the question's checks and tokenization, SignalR framing and loopback add {overhead.Median:0.0} ms (median, p95 {overhead.P95:0.0})."));
        }
        foreach (var run in runs.Where(r => r.MemoryFramesDropped + r.DecoderDropped + r.BlocksDropped > 0))
        {
            text.AppendLine(Invariant(
                $"- {run.Sessions} sessions dropped {run.DecoderDropped} encoded frames at the decoder, {run.MemoryFramesDropped} sampled frames before the vision encoder and {run.BlocksDropped} blocks in the store over {run.MeasuredSeconds:0} s."));
        }
        return text.ToString();
    }

    // A phase too short to store a block has no lag to show.
    private static string Ms(double value) => double.IsNaN(value) ? "–" : value.ToString("0.0", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
