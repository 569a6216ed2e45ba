using BenchmarkDotNet.Configs;

namespace Streamer.Benchmarks.Reporting;

/// <summary>Adds <see cref="TokensPerSecondColumn"/> to the benchmark class it is applied to.</summary>
public sealed class TokensPerSecondConfig : ManualConfig
{
    public TokensPerSecondConfig()
    {
        AddColumn(new TokensPerSecondColumn());
    }
}
