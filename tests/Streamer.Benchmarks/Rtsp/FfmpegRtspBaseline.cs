using System.Globalization;
using System.Text.RegularExpressions;
using Streamer.Benchmarks.Media;
using Streamer.Media.Rtsp;

namespace Streamer.Benchmarks.Rtsp;

/// <summary>
/// The ffmpeg CLI pulling an RTSP URL and decoding every frame with one decoder thread into the
/// null muxer for a given stretch of video, under <c>-benchmark</c>: its own user and system
/// time and wall time for the transcode loop (after the stream was opened and probed).
/// </summary>
public static partial class FfmpegRtspBaseline
{
    public const string Name = "ffmpeg -threads 1";

    public static IngestResult Measure(IngestServer server, IngestCase ingestCase, int seconds)
    {
        var invariant = CultureInfo.InvariantCulture;
        var serverBefore = server.ProcessorTime;
        var log = FfmpegCli.Run(
            "-benchmark", "-threads", "1",
            "-rtsp_transport", ingestCase.Transport == RtspTransportProtocol.Tcp ? "tcp" : "udp",
            // Socket timeout in microseconds, so a dead server fails the run instead of hanging it.
            "-timeout", "5000000",
            "-i", server.Url(ingestCase.Path),
            "-t", seconds.ToString(invariant), "-f", "null", "-");
        var serverCpu = (server.ProcessorTime - serverBefore).TotalSeconds;

        var frames = FrameCount().Matches(log) is { Count: > 0 } found
            ? long.Parse(found[^1].Groups[1].Value, invariant)
            : throw new InvalidOperationException($"No frame count in ffmpeg's report: {log}");
        var bench = Bench().Match(log);
        if (!bench.Success)
        {
            throw new InvalidOperationException($"No bench: line in ffmpeg's report: {log}");
        }
        double Seconds(int group) => double.Parse(bench.Groups[group].Value, invariant);

        return new IngestResult
        {
            Name = Name,
            Case = ingestCase,
            Seconds = Seconds(3),
            CpuSeconds = Seconds(1) + Seconds(2),
            ServerCpuSeconds = serverCpu,
            Received = frames,
            Decoded = frames,
        };
    }

    [GeneratedRegex(@"frame=\s*(\d+)")]
    private static partial Regex FrameCount();

    [GeneratedRegex(@"bench: utime=([0-9.]+)s stime=([0-9.]+)s rtime=([0-9.]+)s")]
    private static partial Regex Bench();
}
