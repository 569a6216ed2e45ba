using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Streamer.Benchmarks.Media;

/// <summary>Runs the ffmpeg command-line tool and reads what it reports.</summary>
public static partial class FfmpegCli
{
    public const string Executable = "ffmpeg";

    /// <summary>Runs ffmpeg with <paramref name="arguments"/> and returns its log (stderr); throws on a non-zero exit.</summary>
    public static string Run(params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["-hide_banner", "-nostdin", "-nostats", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("ffmpeg did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var log = process.StandardError.ReadToEnd();
        stdout.GetAwaiter().GetResult();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg {string.Join(' ', arguments)} exited with {process.ExitCode}: {log}");
        }
        return log;
    }

    /// <summary>
    /// Decodes <paramref name="path"/> with one decoder thread into the null muxer under
    /// <c>-benchmark</c>, and returns the frames it output and its own wall-clock time for the
    /// transcode loop (rtime: after the input was opened and probed, so no process start-up).
    /// </summary>
    public static (int Frames, double Seconds) BenchmarkDecode(string path)
    {
        var log = Run("-benchmark", "-threads", "1", "-i", path, "-f", "null", "-");
        var frames = FrameCount().Matches(log) is { Count: > 0 } found
            ? int.Parse(found[^1].Groups[1].Value, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"No frame count in ffmpeg's report: {log}");
        var rtime = RealTime().Match(log) is { Success: true } match
            ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"No bench: rtime in ffmpeg's report: {log}");
        return (frames, rtime);
    }

    [GeneratedRegex(@"frame=\s*(\d+)")]
    private static partial Regex FrameCount();

    [GeneratedRegex(@"bench:.*rtime=([0-9.]+)s")]
    private static partial Regex RealTime();
}
