using BenchmarkDotNet.Configs;

namespace Streamer.Benchmarks.Reporting;

/// <summary>Adds the external-baseline columns to the benchmark class it is applied to.</summary>
public sealed class ExternalBaselineConfig : ManualConfig
{
    public ExternalBaselineConfig()
    {
        AddColumn(new ExternalBaselineColumn(ratio: false), new ExternalBaselineColumn(ratio: true));
    }
}
