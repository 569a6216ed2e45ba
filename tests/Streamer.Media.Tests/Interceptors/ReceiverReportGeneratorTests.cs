using Streamer.Media.Interceptors;
using Streamer.Media.Rtcp;
using static Streamer.Media.Tests.Interceptors.InterceptorTestKit;

namespace Streamer.Media.Tests.Interceptors;

public class ReceiverReportGeneratorTests
{
    [Fact]
    public void Reports_fraction_lost_and_jitter_as_computed_by_hand()
    {
        var rr = new ReceiverReportGenerator(new ReceiverReportOptions(), Context());
        rr.BindRemoteStream(Video());
        var writer = new RecordingRtcpWriter();

        // 90 kHz clock. Transit = arrival in RTP units - timestamp:
        // seq 0: ts 0,    t=0 ms   -> 0
        // seq 1: ts 3000, t=40 ms  -> 3600 - 3000 = 600; D=600, J = 600/16 = 37.5
        // seq 3: ts 9000, t=100 ms -> 9000 - 9000 = 0;   D=600, J = 37.5 + (600-37.5)/16 = 72.65625
        Receive(rr, 0, 0, T0);
        Receive(rr, 1, 3000, T0.AddMilliseconds(40));
        Receive(rr, 3, 9000, T0.AddMilliseconds(100));
        rr.OnTick(T0.AddMilliseconds(100), writer);

        var report = Assert.Single(writer.Reparse<ReceiverReport>(0).Reports);
        Assert.Equal(RemoteSsrc, report.Ssrc);
        Assert.Equal(3u, report.LastSequenceNumber);
        Assert.Equal(1, report.TotalLost);         // expected 4, received 3
        Assert.Equal(64, report.FractionLost);     // 1/4 * 256
        Assert.Equal(72u, report.Jitter);
        Assert.Equal(0u, report.LastSenderReport); // no SR yet

        // seq 4: ts 12000, t=140 ms -> 12600 - 12000 = 600; D=600, J = 72.65625 + (600-72.65625)/16 = 105.6
        Receive(rr, 4, 12000, T0.AddMilliseconds(140));
        rr.OnTick(T0.AddMilliseconds(1100), writer);
        report = Assert.Single(writer.Reparse<ReceiverReport>(1).Reports);
        Assert.Equal(0, report.FractionLost);      // this interval: 1 expected, 1 received
        Assert.Equal(1, report.TotalLost);
        Assert.Equal(105u, report.Jitter);
        Assert.Equal(2, rr.Stats.ReportsSent);
    }

    [Fact]
    public void Restored_retransmissions_count_as_lost_and_leave_jitter_alone()
    {
        var rr = new ReceiverReportGenerator(new ReceiverReportOptions(), Context());
        rr.BindRemoteStream(Video());
        var writer = new RecordingRtcpWriter();

        // Same arrivals as above: seq 2 missing, J = 72.65625 after seq 3.
        Receive(rr, 0, 0, T0);
        Receive(rr, 1, 3000, T0.AddMilliseconds(40));
        Receive(rr, 3, 9000, T0.AddMilliseconds(100));
        // seq 2 repaired over RTX 60 ms later, and seq 0 resent as a bandwidth probe a second late:
        // as received packets they would cancel the loss and add D = 90000 to the jitter.
        var repaired = Build(2, 6000);
        Assert.True(Streamer.Media.Rtp.RtpHeader.TryRead(repaired, out var header, out _, out _));
        rr.OnRtpRestored(header, repaired, T0.AddMilliseconds(160));
        var probe = Build(0, 0);
        Assert.True(Streamer.Media.Rtp.RtpHeader.TryRead(probe, out header, out _, out _));
        rr.OnRtpRestored(header, probe, T0.AddMilliseconds(1000));
        rr.OnTick(T0.AddMilliseconds(1000), writer);

        var report = Assert.Single(writer.Reparse<ReceiverReport>(0).Reports);
        Assert.Equal(1, report.TotalLost);
        Assert.Equal(72u, report.Jitter);
        Assert.True(rr.TryGetReception(RemoteSsrc, out var summary));
        Assert.Equal(new ReceptionSummary(1, 72.65625 * 1000 / 90000), summary);
    }

    [Fact]
    public void Sends_at_most_once_per_interval()
    {
        var rr = new ReceiverReportGenerator(new ReceiverReportOptions { Interval = TimeSpan.FromSeconds(1) }, Context());
        rr.BindRemoteStream(Video());
        var writer = new RecordingRtcpWriter();
        Receive(rr, 0, 0, T0);
        rr.OnTick(T0, writer);
        rr.OnTick(T0.AddMilliseconds(500), writer);
        rr.OnTick(T0.AddMilliseconds(1000), writer);
        Assert.Equal(2, writer.Packets.Count);
    }

    [Fact]
    public void Fills_lsr_and_dlsr_from_sender_report_and_exposes_sender_clock()
    {
        var rr = new ReceiverReportGenerator(new ReceiverReportOptions(), Context());
        rr.BindRemoteStream(Video());
        var writer = new RecordingRtcpWriter();
        Receive(rr, 0, 0, T0);
        const ulong ntp = 0xe97a1b3c_80000000;
        rr.OnRtcpReceived(new SenderReport { Ssrc = RemoteSsrc, NtpTime = ntp, RtpTime = 123456 }, T0);
        rr.OnTick(T0.AddMilliseconds(500), writer);

        var report = Assert.Single(writer.Reparse<ReceiverReport>(0).Reports);
        Assert.Equal(0x1b3c8000u, report.LastSenderReport); // middle 32 bits of the NTP time
        Assert.Equal(32768u, report.Delay);                 // 0.5 s in 1/65536 s
        Assert.True(rr.TryGetSenderClock(RemoteSsrc, out ulong gotNtp, out uint gotRtp));
        Assert.Equal(ntp, gotNtp);
        Assert.Equal(123456u, gotRtp);
        Assert.False(rr.TryGetSenderClock(999, out _, out _));
    }
}
