using Streamer.Benchmarks.GlassToGlass;

namespace Streamer.Benchmarks.AskLive;

/// <summary>
/// <c>ask-live [--sessions 1,4,16] [--questions N] [--max-tokens N] [--idle-seconds N] [--artifacts DIR]</c>:
/// runs <see cref="AskLiveBenchmark"/>, prints the table and writes it to
/// <c>DIR/results/ask-live.md</c> (DIR defaults to the repository's <c>artifacts/benchmarks</c>).
/// A case that fails (no memory, an answer cut short) stops the run with a non-zero exit.
/// </summary>
public static class AskLiveCommand
{
    public const string Name = "ask-live";
    public const string ReportFile = "ask-live.md";

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        if (!AskLiveOptions.TryParse(args, out var options, out var error))
        {
            await Console.Error.WriteLineAsync($"{Name}: {error}");
            return 2;
        }
        var loadBefore = LoadAverage();
        Console.WriteLine($"Ask the live stream: {string.Join(", ", options.SessionCounts)} session(s)");
        var runs = await new AskLiveBenchmark(options, Console.Out).RunAsync(CancellationToken.None);
        var machine = $"{Environment.ProcessorCount} cores, load average {loadBefore} before and {LoadAverage()} after.";
        var report = AskLiveReport.Format(runs, options, machine);
        Console.WriteLine();
        Console.WriteLine(report);

        var results = Path.Combine(options.Artifacts ?? Path.Combine(RepositoryRoot.Find() ?? Directory.GetCurrentDirectory(), "artifacts", "benchmarks"), "results");
        Directory.CreateDirectory(results);
        var path = Path.Combine(results, ReportFile);
        await File.WriteAllTextAsync(path, report);
        Console.WriteLine($"Report: {path}");
        return 0;
    }

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
}
