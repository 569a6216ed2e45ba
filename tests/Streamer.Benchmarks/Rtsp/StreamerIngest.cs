using System.Diagnostics;

namespace Streamer.Benchmarks.Rtsp;

/// <summary>
/// Measures Streamer pulling one <see cref="IngestCase"/>: starts its cameras together, waits
/// until every one has decoded a picture and a warm-up has passed (connection set-up and JIT
/// out of the figures), then counts frames and CPU over the window.
/// </summary>
/// <remarks>
/// The CPU is this process's own (Process.TotalProcessorTime: user and system time of all its
/// threads, from /proc/self/stat). Linux accounts a child's time to the child, so the RTSP
/// server and the ffmpeg CLI are not in it; the server's CPU is read from its own PID.
/// </remarks>
public static class StreamerIngest
{
    public const string Name = "Streamer";

    public static readonly TimeSpan Warmup = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    public static async Task<IngestResult> MeasureAsync(IngestServer server, IngestCase ingestCase, int seconds)
    {
        using var self = Process.GetCurrentProcess();
        using var stop = new CancellationTokenSource();
        var pulls = Enumerable.Range(0, ingestCase.Cameras)
            .Select(_ => new CameraPull(server.Url(ingestCase.Path), ingestCase.Transport, ingestCase.KeyframesOnly))
            .ToList();
        var runs = pulls.Select(p => p.RunAsync(stop.Token)).ToList();
        try
        {
            var started = Task.WhenAll(pulls.Select(p => p.FirstPicture));
            if (await Task.WhenAny(started, Task.Delay(StartTimeout)).ConfigureAwait(false) != started)
            {
                var states = string.Join(", ", pulls.Select(p => $"{p.Source.State} {p.Source.LastError?.Message}"));
                throw new InvalidOperationException($"{ingestCase}: no picture decoded within {StartTimeout.TotalSeconds} s ({states}).");
            }
            await Task.Delay(Warmup).ConfigureAwait(false);

            var before = Sample.Take(self, server, pulls);
            await Task.Delay(TimeSpan.FromSeconds(seconds)).ConfigureAwait(false);
            var after = Sample.Take(self, server, pulls);
            return new IngestResult
            {
                Name = Name,
                Case = ingestCase,
                Seconds = Stopwatch.GetElapsedTime(before.Timestamp, after.Timestamp).TotalSeconds,
                CpuSeconds = (after.Cpu - before.Cpu).TotalSeconds,
                ServerCpuSeconds = (after.ServerCpu - before.ServerCpu).TotalSeconds,
                Received = after.Received - before.Received,
                Decoded = after.Decoded - before.Decoded,
                Keyframes = after.Keyframes - before.Keyframes,
                Dropped = after.Dropped - before.Dropped,
                DecodeErrors = after.Errors - before.Errors,
                Bytes = after.Bytes - before.Bytes,
                AllocatedBytes = after.Allocated - before.Allocated,
            };
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(runs).ConfigureAwait(false);
        }
    }

    private readonly record struct Sample(
        long Timestamp, TimeSpan Cpu, TimeSpan ServerCpu, long Allocated, long Received, long Dropped, long Bytes, long Decoded, long Keyframes, long Errors)
    {
        public static Sample Take(Process self, IngestServer server, List<CameraPull> pulls)
        {
            self.Refresh();
            return new Sample(
                Stopwatch.GetTimestamp(),
                self.TotalProcessorTime,
                server.ProcessorTime,
                GC.GetTotalAllocatedBytes(),
                pulls.Sum(p => p.Source.Stats.Frames),
                pulls.Sum(p => p.Source.Stats.FramesDropped),
                pulls.Sum(p => p.Source.Stats.Bytes),
                pulls.Sum(p => p.Decoded),
                pulls.Sum(p => p.Keyframes),
                pulls.Sum(p => p.Errors));
        }
    }
}
