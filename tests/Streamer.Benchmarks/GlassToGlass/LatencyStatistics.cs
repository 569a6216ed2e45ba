namespace Streamer.Benchmarks.GlassToGlass;

/// <summary>Count, median, 95th percentile, minimum and maximum of latencies in milliseconds.</summary>
public sealed record LatencyStatistics(int Count, double Median, double P95, double Min, double Max)
{
    public static LatencyStatistics Of(IEnumerable<double> milliseconds)
    {
        var sorted = milliseconds.Order().ToArray();
        return sorted.Length == 0
            ? new LatencyStatistics(0, double.NaN, double.NaN, double.NaN, double.NaN)
            : new LatencyStatistics(sorted.Length, Percentile(sorted, 0.5), Percentile(sorted, 0.95), sorted[0], sorted[^1]);
    }

    /// <summary>Linear interpolation between the closest ranks (the spreadsheet PERCENTILE.INC rule).</summary>
    private static double Percentile(double[] sorted, double p)
    {
        var rank = p * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + ((rank - low) * (sorted[high] - sorted[low]));
    }
}
