using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Streamer.Benchmarks;

/// <summary>
/// Few iterations, run inside the host process: a whole run stays within minutes on a small
/// machine, and figures are read as ratios to a baseline of the same run rather than as
/// absolute numbers. Reports are GitHub markdown.
/// </summary>
public static class ShortRunConfig
{
    public static IConfig Create() =>
        ManualConfig.CreateMinimumViable()
            .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).WithId("ShortRun"))
            .AddColumn(StatisticColumn.OperationsPerSecond)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddExporter(MarkdownExporter.GitHub)
            .AddAnalyser([.. DefaultConfig.Instance.GetAnalysers()])
            .AddValidator([.. DefaultConfig.Instance.GetValidators()])
            .WithOptions(ConfigOptions.DisableLogFile);
}
