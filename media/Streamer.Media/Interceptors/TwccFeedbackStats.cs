namespace Streamer.Media.Interceptors;

/// <summary>Counters of a <see cref="TwccFeedbackGenerator"/>.</summary>
public sealed class TwccFeedbackStats
{
    private long feedbacksSent;
    private long packetsRecorded;

    public long FeedbacksSent => Interlocked.Read(ref feedbacksSent);
    public long PacketsRecorded => Interlocked.Read(ref packetsRecorded);

    internal void AddFeedback() => Interlocked.Increment(ref feedbacksSent);

    internal void AddPacket() => Interlocked.Increment(ref packetsRecorded);
}
