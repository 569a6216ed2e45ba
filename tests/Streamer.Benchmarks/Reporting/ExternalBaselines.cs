using System.Collections.Concurrent;
using BenchmarkDotNet.Running;

namespace Streamer.Benchmarks.Reporting;

/// <summary>
/// External baselines recorded by a benchmark's global setup and read by the columns and the
/// compact summary. The short-run job runs in-process, so setup and reporting share this table.
/// A case is keyed by its type and its parameter values (declaration order, comma-joined).
/// </summary>
public static class ExternalBaselines
{
    private static readonly ConcurrentDictionary<string, ExternalBaseline> Recorded = new();

    public static void Record(Type benchmarkType, string parameterValues, ExternalBaseline baseline) =>
        Recorded[Key(benchmarkType, parameterValues)] = baseline;

    public static bool TryGet(BenchmarkCase benchmarkCase, out ExternalBaseline baseline)
    {
        var values = string.Join(",", benchmarkCase.Parameters.Items.Select(p => p.Value?.ToString()));
        return Recorded.TryGetValue(Key(benchmarkCase.Descriptor.Type, values), out baseline!);
    }

    private static string Key(Type type, string parameterValues) => $"{type.FullName}|{parameterValues}";
}
