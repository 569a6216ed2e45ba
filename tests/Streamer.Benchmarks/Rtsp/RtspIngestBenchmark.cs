using System.Globalization;
using Streamer.Media.Rtsp;

namespace Streamer.Benchmarks.Rtsp;

/// <summary>
/// The <c>rtsp-ingest</c> mode: frames per second and CPU per camera for 1080p H.264 pulled
/// from an RTSP server with <see cref="RtspSource"/> and decoded with the FFmpeg decoder, for
/// 1, 2, 4 cameras at once, over TCP and once over UDP, and keyframes only; the ffmpeg CLI
/// pulling the same URL is the baseline measured in the same run. Prints a table and writes
/// results/rtsp-ingest.md; exits with 1 when a case decoded nothing.
/// </summary>
public static class RtspIngestBenchmark
{
    public const string Mode = "rtsp-ingest";
    public const string ReportName = "rtsp-ingest.md";

    private const string CameraPath = "camera";
    private const string SampledPath = "sampled";

    // The clip outlasts a window plus connection, warm-up and ffmpeg's probing, so no pull reaches its end.
    private const int ClipMarginSeconds = 8;

    public static int Run(IReadOnlyList<string> args)
    {
        if (!RtspIngestOptions.TryParse(args, out var options, out var error))
        {
            Console.Error.WriteLine($"{Mode}: {error}");
            return 2;
        }
        return RunAsync(options).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(RtspIngestOptions options)
    {
        var loadBefore = LoadAverage();
        Console.WriteLine($"Encoding the 1080p clips ({options.Seconds + ClipMarginSeconds} s)...");
        using var clips = IngestClips.Encode(options.Seconds + ClipMarginSeconds);
        using var server = new IngestServer(new Dictionary<string, string>
        {
            [CameraPath] = clips.Camera,
            [SampledPath] = clips.Sampled,
        });

        // The first pull in the process would pay for JIT tiering and pool growth; it is not reported.
        Console.WriteLine("  warm-up pull (not reported)");
        await StreamerIngest.MeasureAsync(server, new IngestCase(CameraPath, RtspTransportProtocol.Tcp, 1, KeyframesOnly: false), 1).ConfigureAwait(false);

        var results = new List<IngestResult>();
        foreach (var step in Plan(options))
        {
            Console.WriteLine($"  {step.Name}: {Describe(step.Case)}");
            var result = step.Name == StreamerIngest.Name
                ? await StreamerIngest.MeasureAsync(server, step.Case, options.Seconds).ConfigureAwait(false)
                : FfmpegRtspBaseline.Measure(server, step.Case, options.Seconds);
            results.Add(result);
        }

        var machine = $"{Environment.ProcessorCount} cores, load average {loadBefore} before and {LoadAverage()} after.";
        var report = IngestReport.Format(results, options, machine);
        Console.WriteLine();
        Console.WriteLine(report);
        var directory = Path.Combine(options.Artifacts ?? DefaultArtifacts(), "results");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, ReportName);
        await File.WriteAllTextAsync(path, report).ConfigureAwait(false);
        Console.WriteLine($"Report: {path}");

        var empty = results.Where(r => r.Decoded == 0).ToList();
        foreach (var result in empty)
        {
            Console.Error.WriteLine($"FAILED: {result.Name} decoded no frames ({Describe(result.Case)}).");
        }
        return empty.Count == 0 ? 0 : 1;
    }

    private static IEnumerable<(string Name, IngestCase Case)> Plan(RtspIngestOptions options)
    {
        var tcp = new IngestCase(CameraPath, RtspTransportProtocol.Tcp, 1, KeyframesOnly: false);
        var udp = tcp with { Transport = RtspTransportProtocol.Udp };
        yield return (StreamerIngest.Name, tcp);
        yield return (FfmpegRtspBaseline.Name, tcp);
        yield return (StreamerIngest.Name, udp);
        yield return (FfmpegRtspBaseline.Name, udp);
        foreach (var cameras in options.CameraCounts.Where(k => k > 1))
        {
            yield return (StreamerIngest.Name, tcp with { Cameras = cameras });
        }
        yield return (StreamerIngest.Name, new IngestCase(SampledPath, RtspTransportProtocol.Tcp, 1, KeyframesOnly: true));
    }

    private static string Describe(IngestCase ingestCase) =>
        string.Create(CultureInfo.InvariantCulture, $"/{ingestCase.Path}, {ingestCase.Transport}, {ingestCase.Cameras} camera(s), decoding {ingestCase.Decode}");

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    // The repository's artifacts/benchmarks, found from the build output; the working directory's otherwise.
    private static string DefaultArtifacts()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Streamer.sln")))
            {
                return Path.Combine(directory.FullName, "artifacts", "benchmarks");
            }
        }
        return Path.Combine(Directory.GetCurrentDirectory(), "artifacts", "benchmarks");
    }
}
