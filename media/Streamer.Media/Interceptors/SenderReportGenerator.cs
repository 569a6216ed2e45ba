using Streamer.Media.Rtcp;
using Streamer.Media.Rtp;

namespace Streamer.Media.Interceptors;

/// <summary>
/// Sends a sender report (RFC 3550 6.4.1) for every local stream that has sent media,
/// every Interval. The RTP timestamp is the last sent one advanced by the wall time since,
/// so receivers can map our RTP clock to NTP time.
/// </summary>
public sealed class SenderReportGenerator : Interceptor
{
    private readonly SenderReportOptions options;
    private readonly Lock gate = new();
    private readonly Dictionary<uint, StreamState> streams = [];
    private DateTimeOffset lastReport = DateTimeOffset.MinValue;

    public SenderReportGenerator(SenderReportOptions options)
    {
        this.options = options;
    }

    public SenderReportStats Stats { get; } = new();

    public override void BindLocalStream(StreamInfo info)
    {
        lock (gate)
        {
            streams[info.Ssrc] = new StreamState(info.ClockRate);
        }
    }

    public override void UnbindLocalStream(uint ssrc)
    {
        lock (gate)
        {
            streams.Remove(ssrc);
        }
    }

    public override void OnRtpSent(in RtpHeader header, ReadOnlySpan<byte> rawPacket, DateTimeOffset sent)
    {
        lock (gate)
        {
            if (!streams.TryGetValue(header.Ssrc, out var stream))
            {
                return;
            }
            stream.Packets++;
            stream.Octets += (uint)Math.Max(0, rawPacket.Length - header.PayloadOffset - header.PaddingSize);
            stream.LastTimestamp = header.Timestamp;
            stream.LastSent = sent;
        }
    }

    public override void OnTick(DateTimeOffset now, IRtcpWriter writer)
    {
        var reports = new List<SenderReport>();
        lock (gate)
        {
            if (now - lastReport < options.Interval)
            {
                return;
            }
            lastReport = now;
            foreach (var (ssrc, stream) in streams)
            {
                if (stream.LastSent is not DateTimeOffset lastSent)
                {
                    continue;
                }
                long elapsed = Math.Max(0, (now - lastSent).Ticks);
                uint rtp = stream.LastTimestamp + (uint)(elapsed * stream.ClockRate / TimeSpan.TicksPerSecond);
                reports.Add(new SenderReport
                {
                    Ssrc = ssrc,
                    NtpTime = NtpTime.FromDateTimeOffset(now),
                    RtpTime = rtp,
                    PacketCount = stream.Packets,
                    OctetCount = stream.Octets,
                });
            }
        }
        foreach (var report in reports)
        {
            writer.Write(report);
            Stats.AddReport();
        }
    }

    private sealed class StreamState(uint clockRate)
    {
        public uint ClockRate { get; } = clockRate;
        public uint Packets { get; set; }
        public uint Octets { get; set; }
        public uint LastTimestamp { get; set; }
        public DateTimeOffset? LastSent { get; set; }
    }
}
