using Streamer.Media.Rtcp;
using Streamer.Media.Rtp;

namespace Streamer.Media.Interceptors;

/// <summary>
/// Per-source receive statistics of RFC 3550 appendix A: extended highest sequence number,
/// cumulative and interval loss (A.3) and interarrival jitter in RTP clock units (A.8), plus
/// the last SR for LSR/DLSR and for mapping RTP time to wall time.
/// </summary>
internal sealed class ReceptionStatistics
{
    private const int MaxFraction = 255;
    private readonly uint ssrc;
    private readonly uint clockRate;
    private readonly SequenceUnwrapper sequences = new();
    private bool started;
    private long baseSequence;
    private long maxSequence;
    private long received;
    private long expectedPrior;
    private long receivedPrior;
    private double jitter;
    private bool hasTransit;
    private uint lastTransit;
    private DateTimeOffset epoch;
    private bool hasSenderReport;
    private ulong senderNtp;
    private uint senderRtp;
    private DateTimeOffset senderReportArrival;

    public ReceptionStatistics(uint ssrc, uint clockRate)
    {
        this.ssrc = ssrc;
        this.clockRate = clockRate;
    }

    public void OnPacket(ushort sequenceNumber, uint timestamp, DateTimeOffset arrival)
    {
        long extended = sequences.Unwrap(sequenceNumber);
        if (!started)
        {
            started = true;
            baseSequence = extended;
            maxSequence = extended;
            epoch = arrival;
        }
        else if (extended > maxSequence)
        {
            maxSequence = extended;
        }
        received++;

        // A.8: transit = arrival (in RTP units) - timestamp; J += (|D| - J) / 16. The 32-bit
        // arithmetic wraps the same way on both sides, so only the difference matters.
        uint arrivalRtp = (uint)((arrival - epoch).Ticks * clockRate / TimeSpan.TicksPerSecond);
        uint transit = arrivalRtp - timestamp;
        if (hasTransit)
        {
            int d = Math.Abs((int)(transit - lastTransit));
            jitter += (d - jitter) / 16;
        }
        lastTransit = transit;
        hasTransit = true;
    }

    public void OnSenderReport(SenderReport report, DateTimeOffset arrival)
    {
        hasSenderReport = true;
        senderNtp = report.NtpTime;
        senderRtp = report.RtpTime;
        senderReportArrival = arrival;
    }

    public bool TryGetSenderClock(out ulong ntp, out uint rtpTimestamp)
    {
        ntp = senderNtp;
        rtpTimestamp = senderRtp;
        return hasSenderReport;
    }

    /// <summary>Packets lost so far (expected minus received, A.3; negative with duplicates) and the jitter in milliseconds.</summary>
    public ReceptionSummary Summarize() => started
        ? new ReceptionSummary(maxSequence - baseSequence + 1 - received, jitter * 1000 / clockRate)
        : new ReceptionSummary(0, 0);

    /// <summary>Builds the report block and starts a new loss interval (A.3).</summary>
    public bool TryBuildReport(DateTimeOffset now, out ReceptionReport report)
    {
        report = default;
        if (!started)
        {
            return false;
        }
        long expected = maxSequence - baseSequence + 1;
        long lost = expected - received;
        long expectedInterval = expected - expectedPrior;
        long receivedInterval = received - receivedPrior;
        long lostInterval = expectedInterval - receivedInterval;
        expectedPrior = expected;
        receivedPrior = received;
        byte fraction = expectedInterval == 0 || lostInterval <= 0
            ? (byte)0
            : (byte)Math.Min(MaxFraction, (lostInterval << 8) / expectedInterval);
        uint lsr = hasSenderReport ? NtpTime.ToCompact(senderNtp) : 0;
        uint dlsr = hasSenderReport ? NtpTime.DurationToCompact(now - senderReportArrival) : 0;
        report = new ReceptionReport(ssrc, fraction, (int)Math.Clamp(lost, -0x800000, 0x7FFFFF), (uint)maxSequence, (uint)jitter, lsr, dlsr);
        return true;
    }
}
