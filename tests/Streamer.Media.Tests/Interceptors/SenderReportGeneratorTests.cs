using Streamer.Media.Interceptors;
using Streamer.Media.Rtcp;
using Streamer.Media.Rtp;
using static Streamer.Media.Tests.Interceptors.InterceptorTestKit;

namespace Streamer.Media.Tests.Interceptors;

public class SenderReportGeneratorTests
{
    [Fact]
    public void Reports_counts_and_extrapolated_rtp_time()
    {
        var sr = new SenderReportGenerator(new SenderReportOptions());
        sr.BindLocalStream(new StreamInfo { Ssrc = LocalSsrc, ClockRate = 48000 });
        var writer = new RecordingRtcpWriter();
        for (int i = 0; i < 3; i++)
        {
            var raw = Build((ushort)i, (uint)(960 * i), ssrc: LocalSsrc, payloadBytes: 100);
            Assert.True(RtpHeader.TryRead(raw, out var header, out _, out _));
            sr.OnRtpSent(header, raw, T0.AddMilliseconds(20 * i));
        }
        var now = T0.AddMilliseconds(140); // 100 ms after the last packet
        sr.OnTick(now, writer);

        var report = writer.Reparse<SenderReport>(0);
        Assert.Equal(LocalSsrc, report.Ssrc);
        Assert.Equal(3u, report.PacketCount);
        Assert.Equal(300u, report.OctetCount);
        Assert.Equal(1920u + 4800u, report.RtpTime);
        Assert.Equal(NtpTime.FromDateTimeOffset(now), report.NtpTime);
        Assert.Equal(now, NtpTime.ToDateTimeOffset(report.NtpTime));
    }

    [Fact]
    public void Skips_streams_that_have_not_sent()
    {
        var sr = new SenderReportGenerator(new SenderReportOptions());
        sr.BindLocalStream(new StreamInfo { Ssrc = LocalSsrc, ClockRate = 90000 });
        var writer = new RecordingRtcpWriter();
        sr.OnTick(T0, writer);
        Assert.Empty(writer.Packets);
    }
}
