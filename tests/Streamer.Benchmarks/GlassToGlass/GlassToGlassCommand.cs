using System.Globalization;

namespace Streamer.Benchmarks.GlassToGlass;

/// <summary>
/// <c>glass-to-glass [--seconds N] [--codecs VP8,H264] [--artifacts DIR]</c>: runs <see cref="GlassToGlassBenchmark"/>,
/// prints the table and writes it to <c>DIR/results/glass-to-glass.md</c> (DIR defaults to
/// <c>artifacts/benchmarks</c> of the repository). Exits non-zero when a row matched no frame.
/// </summary>
public static class GlassToGlassCommand
{
    public const string Name = "glass-to-glass";
    public const string ReportFile = "glass-to-glass.md";

    private const int DefaultSeconds = 15;

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var seconds = DefaultSeconds;
        string? artifacts = null;
        IReadOnlyList<string> codecs = GlassToGlassBenchmark.DefaultCodecs;
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--seconds" && i + 1 < args.Count && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out seconds) && seconds > GlassToGlassBenchmark.WarmUp.TotalSeconds)
            {
                i++;
            }
            else if (args[i] == "--codecs" && i + 1 < args.Count && ParseCodecs(args[i + 1]) is { Count: > 0 } chosen)
            {
                codecs = chosen;
                i++;
            }
            else if (args[i] == "--artifacts" && i + 1 < args.Count)
            {
                artifacts = args[++i];
            }
            else
            {
                await Console.Error.WriteLineAsync($"usage: {Name} [--seconds N (more than {GlassToGlassBenchmark.WarmUp.TotalSeconds:F0})] [--codecs VP8,H264] [--artifacts DIR]");
                return 2;
            }
        }

        Console.WriteLine($"Glass-to-glass: {codecs.Count * 2} rows of {seconds} s");
        var benchmark = new GlassToGlassBenchmark(TimeProvider.System, Console.Out);
        var result = await benchmark.RunAsync(TimeSpan.FromSeconds(seconds), codecs);
        var report = GlassToGlassReport.Format(result);
        Console.WriteLine();
        Console.WriteLine(report);

        var results = Path.Combine(artifacts ?? DefaultArtifacts(), "results");
        Directory.CreateDirectory(results);
        var path = Path.Combine(results, ReportFile);
        await File.WriteAllTextAsync(path, report);
        Console.WriteLine($"Report: {path}");

        if (!result.AllMatched)
        {
            var empty = result.Phases.Where(p => p.Latency.Count == 0).Select(p => $"{p.Codec} {p.Path}");
            await Console.Error.WriteLineAsync($"No frame matched for: {string.Join(", ", empty)}");
            return 1;
        }
        return 0;
    }

    /// <summary>A comma-separated list of VP8 and H264 (any case); null when anything else is in it.</summary>
    private static List<string>? ParseCodecs(string list)
    {
        var codecs = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(c => GlassToGlassBenchmark.DefaultCodecs.FirstOrDefault(k => k.Equals(c, StringComparison.OrdinalIgnoreCase)))
            .ToList();
        return codecs.Any(c => c is null) ? null : [.. codecs.OfType<string>()];
    }

    private static string DefaultArtifacts() =>
        Path.Combine(RepositoryRoot.Find() ?? Directory.GetCurrentDirectory(), "artifacts", "benchmarks");
}
