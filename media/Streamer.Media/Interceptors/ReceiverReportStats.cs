namespace Streamer.Media.Interceptors;

/// <summary>Counters of a <see cref="ReceiverReportGenerator"/>.</summary>
public sealed class ReceiverReportStats
{
    private long reportsSent;
    private long senderReportsReceived;

    public long ReportsSent => Interlocked.Read(ref reportsSent);
    public long SenderReportsReceived => Interlocked.Read(ref senderReportsReceived);

    internal void AddReport() => Interlocked.Increment(ref reportsSent);

    internal void AddSenderReport() => Interlocked.Increment(ref senderReportsReceived);
}
