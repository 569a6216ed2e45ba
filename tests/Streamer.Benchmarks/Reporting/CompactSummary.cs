using System.Globalization;
using System.Text;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Streamer.Benchmarks.Reporting;

/// <summary>
/// One markdown table for a whole run: every case with its mean time per operation, operations
/// per second, tokens per second where a batch applies, and its ratio to the baseline measured
/// in the same run (BenchmarkDotNet's baseline of the class, or an <see cref="ExternalBaseline"/>).
/// A ratio is mean time over baseline time, as BenchmarkDotNet's Ratio column: below 1 is faster.
/// </summary>
public static class CompactSummary
{
    public static string Format(IEnumerable<Summary> summaries)
    {
        var text = new StringBuilder();
        text.AppendLine("| Benchmark | Mean | Op/s | Tokens/s | Ratio | Baseline |");
        text.AppendLine("|---|---:|---:|---:|---:|---|");
        foreach (var summary in summaries)
        {
            foreach (var benchmarkCase in summary.BenchmarksCases)
            {
                text.AppendLine(Row(summary, benchmarkCase));
            }
        }
        return text.ToString();
    }

    private static string Row(Summary summary, BenchmarkCase benchmarkCase)
    {
        var name = NameOf(benchmarkCase);
        var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        if (mean is not { } m)
        {
            return $"| {name} | failed | | | | |";
        }

        var (ratio, baselineName) = RatioOf(summary, benchmarkCase, m);
        var tokens = TokensPerSecondColumn.Of(summary, benchmarkCase);
        return string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {FormatTime(m)} | {1e9 / m:N0} | {(tokens is { } t ? t.ToString("N0", CultureInfo.InvariantCulture) : "")} | {(ratio is { } r ? FormatRatio(r) : "")} | {baselineName} |");
    }

    private static (double? Ratio, string Baseline) RatioOf(Summary summary, BenchmarkCase benchmarkCase, double mean)
    {
        if (ExternalBaselines.TryGet(benchmarkCase, out var external))
        {
            return (mean / external.NanosecondsPerOperation, $"{external.Name} ({external.OperationsPerSecond.ToString("N1", CultureInfo.InvariantCulture)} op/s)");
        }

        var baseline = summary.GetBaseline(summary.GetLogicalGroupKey(benchmarkCase));
        if (baseline is null || summary[baseline]?.ResultStatistics?.Mean is not { } baselineMean)
        {
            return (null, "");
        }
        return (mean / baselineMean, ReferenceEquals(baseline, benchmarkCase) ? "(baseline)" : NameOf(baseline));
    }

    private static string NameOf(BenchmarkCase benchmarkCase)
    {
        var parameters = benchmarkCase.Parameters.DisplayInfo;
        var name = $"{benchmarkCase.Descriptor.Type.Name}.{benchmarkCase.Descriptor.WorkloadMethod.Name}";
        return string.IsNullOrEmpty(parameters) ? name : $"{name} {parameters}";
    }

    // Small ratios keep three significant digits instead of rounding to 0.00.
    private static string FormatRatio(double ratio) =>
        ratio.ToString(ratio >= 0.1 ? "N2" : "G3", CultureInfo.InvariantCulture);

    private static string FormatTime(double nanoseconds) => nanoseconds switch
    {
        < 1e3 => string.Create(CultureInfo.InvariantCulture, $"{nanoseconds:N1} ns"),
        < 1e6 => string.Create(CultureInfo.InvariantCulture, $"{nanoseconds / 1e3:N2} us"),
        < 1e9 => string.Create(CultureInfo.InvariantCulture, $"{nanoseconds / 1e6:N2} ms"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{nanoseconds / 1e9:N2} s"),
    };
}
