namespace Streamer.Benchmarks.Reporting;

/// <summary>
/// A throughput measured by a tool outside BenchmarkDotNet (the ffmpeg CLI's own clock) for the
/// same work as one benchmark case, in the same run.
/// </summary>
public sealed record ExternalBaseline(string Name, double OperationsPerSecond)
{
    public double NanosecondsPerOperation => 1e9 / OperationsPerSecond;
}
