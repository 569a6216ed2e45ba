namespace Streamer.Media.Interceptors;

/// <summary>Counters of a <see cref="SenderReportGenerator"/>.</summary>
public sealed class SenderReportStats
{
    private long reportsSent;

    public long ReportsSent => Interlocked.Read(ref reportsSent);

    internal void AddReport() => Interlocked.Increment(ref reportsSent);
}
