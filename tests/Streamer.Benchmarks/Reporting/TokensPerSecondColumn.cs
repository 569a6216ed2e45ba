using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Streamer.Benchmarks.Reporting;

/// <summary>
/// Operations per second times the case's <c>Batch</c> parameter: an operation is one sequence
/// position, and every row of the batch produces a token at each position.
/// </summary>
public sealed class TokensPerSecondColumn : IColumn
{
    public const string BatchParameter = "Batch";

    public string Id => nameof(TokensPerSecondColumn);

    public string ColumnName => "Tokens/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Tokens per second over all rows of the batch (operations per second x Batch)";

    /// <summary>Tokens per second of a case, when it has a batch parameter and statistics.</summary>
    public static double? Of(Summary summary, BenchmarkCase benchmarkCase)
    {
        var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        var batch = benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == BatchParameter)?.Value;
        return mean is { } m && batch is int b ? b * 1e9 / m : null;
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) =>
        Of(summary, benchmarkCase)?.ToString("N0", style.CultureInfo) ?? "-";

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;
}
