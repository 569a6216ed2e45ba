using BenchmarkDotNet.Running;
using Streamer.Benchmarks.AskLive;
using Streamer.Benchmarks.GlassToGlass;
using Streamer.Benchmarks.Reporting;
using Streamer.Benchmarks.Rtsp;

namespace Streamer.Benchmarks;

/// <summary>
/// Runs the benchmarks chosen by the BenchmarkDotNet arguments (<c>--filter</c>, <c>--list</c>)
/// with <see cref="ShortRunConfig"/>, then prints one line per case: mean, operations per
/// second and the ratio to the baseline measured in the same run. <c>glass-to-glass</c> as the
/// first argument runs <see cref="GlassToGlassCommand"/> instead, <c>rtsp-ingest</c>
/// <see cref="RtspIngestBenchmark"/>, <c>ask-live</c> <see cref="AskLiveCommand"/>.
/// </summary>
public static class BenchmarkProgram
{
    public static async Task<int> Main(string[] args)
    {
        if (args is [RtspIngestBenchmark.Mode, .. var ingestArgs])
        {
            return RtspIngestBenchmark.Run(ingestArgs);
        }

        if (args is [AskLiveCommand.Name, .. var askArgs])
        {
            return await AskLiveCommand.RunAsync(askArgs);
        }

        if (args is [Speech.SpokenAnswerBenchmark.Mode, .. var speechArgs])
        {
            return await Speech.SpokenAnswerBenchmark.RunAsync(speechArgs);
        }

        if (args.Length > 0 && args[0] == GlassToGlassCommand.Name)
        {
            return await GlassToGlassCommand.RunAsync(args[1..]);
        }

        var summaries = BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly)
            .Run(args, ShortRunConfig.Create())
            .ToList();
        if (summaries.Count == 0)
        {
            return 0;
        }

        var compact = CompactSummary.Format(summaries);
        Console.WriteLine();
        Console.WriteLine(compact);
        var resultsDirectory = summaries[0].ResultsDirectoryPath;
        Directory.CreateDirectory(resultsDirectory);
        File.WriteAllText(Path.Combine(resultsDirectory, "summary.md"), compact);

        // A case whose setup or run threw has no statistics; fail the run so scripts notice.
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => r.ResultStatistics is null)) ? 1 : 0;
    }
}
