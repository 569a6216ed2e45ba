using Streamer.Media.Rtcp;
using Streamer.Media.Rtp;

namespace Streamer.Media.Interceptors;

/// <summary>
/// Sends receiver reports (RFC 3550 6.4.2) for every remote stream every Interval, and
/// remembers each stream's last SR so the session clock can map RTP time to wall time.
/// </summary>
public sealed class ReceiverReportGenerator : Interceptor
{
    private const int MaxReportsPerPacket = 31;
    private readonly ReceiverReportOptions options;
    private readonly uint localSsrc;
    private readonly Lock gate = new();
    private readonly Dictionary<uint, ReceptionStatistics> streams = [];
    private DateTimeOffset lastReport = DateTimeOffset.MinValue;

    public ReceiverReportGenerator(ReceiverReportOptions options, InterceptorContext context)
    {
        this.options = options;
        localSsrc = context.LocalSsrc;
    }

    public ReceiverReportStats Stats { get; } = new();

    public override void BindRemoteStream(StreamInfo info)
    {
        lock (gate)
        {
            streams[info.Ssrc] = new ReceptionStatistics(info.Ssrc, info.ClockRate);
        }
    }

    public override void UnbindRemoteStream(uint ssrc)
    {
        lock (gate)
        {
            streams.Remove(ssrc);
        }
    }

    public override void OnRtpReceived(in RtpHeader header, ReadOnlySpan<byte> rawPacket, DateTimeOffset arrival)
    {
        lock (gate)
        {
            if (streams.TryGetValue(header.Ssrc, out var stream))
            {
                stream.OnPacket(header.SequenceNumber, header.Timestamp, arrival);
            }
        }
    }

    /// <summary>
    /// Restored retransmissions are left out, as libwebrtc's receive statistics leave them out: the
    /// report describes the network (a repaired packet was still lost on the way), and a sender's
    /// RTX probes resend old packets whose timestamps would read as huge jitter.
    /// </summary>
    public override void OnRtpRestored(in RtpHeader header, ReadOnlySpan<byte> rawPacket, DateTimeOffset arrival)
    {
    }

    public override void OnRtcpReceived(IRtcpPacket packet, DateTimeOffset arrival)
    {
        if (packet is not SenderReport sr)
        {
            return;
        }
        lock (gate)
        {
            if (streams.TryGetValue(sr.Ssrc, out var stream))
            {
                stream.OnSenderReport(sr, arrival);
                Stats.AddSenderReport();
            }
        }
    }

    /// <summary>The NTP time and RTP timestamp of the last SR from <paramref name="ssrc"/>.</summary>
    public bool TryGetSenderClock(uint ssrc, out ulong ntp, out uint rtpTimestamp)
    {
        lock (gate)
        {
            if (streams.TryGetValue(ssrc, out var stream))
            {
                return stream.TryGetSenderClock(out ntp, out rtpTimestamp);
            }
        }
        ntp = 0;
        rtpTimestamp = 0;
        return false;
    }

    /// <summary>What the receiver reports say about <paramref name="ssrc"/> so far: cumulative loss and jitter.</summary>
    public bool TryGetReception(uint ssrc, out ReceptionSummary summary)
    {
        lock (gate)
        {
            if (streams.TryGetValue(ssrc, out var stream))
            {
                summary = stream.Summarize();
                return true;
            }
        }
        summary = default;
        return false;
    }

    public override void OnTick(DateTimeOffset now, IRtcpWriter writer)
    {
        List<ReceptionReport> reports = [];
        lock (gate)
        {
            if (now - lastReport < options.Interval)
            {
                return;
            }
            lastReport = now;
            foreach (var stream in streams.Values)
            {
                if (stream.TryBuildReport(now, out var report))
                {
                    reports.Add(report);
                }
            }
        }
        for (int i = 0; i < reports.Count; i += MaxReportsPerPacket)
        {
            writer.Write(new ReceiverReport { Ssrc = localSsrc, Reports = [.. reports.Skip(i).Take(MaxReportsPerPacket)] });
            Stats.AddReport();
        }
    }
}
