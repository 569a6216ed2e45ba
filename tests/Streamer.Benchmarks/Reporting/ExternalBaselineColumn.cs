using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Streamer.Benchmarks.Reporting;

/// <summary>
/// Shows a case's <see cref="ExternalBaseline"/>: its operations per second, or the ratio of the
/// case's mean time per operation to the baseline's (below 1: faster than the baseline), the
/// same direction as BenchmarkDotNet's own Ratio column.
/// </summary>
public sealed class ExternalBaselineColumn(bool ratio) : IColumn
{
    public string Id => ratio ? "ExternalRatio" : "ExternalOpsPerSecond";

    public string ColumnName => ratio ? "Ratio(ext)" : "Ext. op/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => ratio ? 1 : 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => ratio
        ? "Mean time per operation divided by the external baseline's (ffmpeg CLI -benchmark)"
        : "Operations per second of the external baseline (ffmpeg CLI -benchmark), same run";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        if (!ExternalBaselines.TryGet(benchmarkCase, out var baseline))
        {
            return "-";
        }
        if (!ratio)
        {
            return baseline.OperationsPerSecond.ToString("N1", style.CultureInfo);
        }
        var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        return mean is { } m ? (m / baseline.NanosecondsPerOperation).ToString("N2", style.CultureInfo) : "-";
    }

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;
}
