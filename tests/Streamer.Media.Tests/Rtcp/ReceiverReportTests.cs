using Streamer.Media.Rtcp;

namespace Streamer.Media.Tests.Rtcp;

public class ReceiverReportTests
{
    // pion/rtcp receiver_report_test.go "valid".
    private static readonly byte[] Valid =
    [
        0x81, 0xc9, 0x00, 0x07, // v=2, p=0, count=1, RR, len=7
        0x90, 0x2f, 0x9e, 0x2e, // ssrc=0x902f9e2e
        0xbc, 0x5e, 0x9a, 0x40, // ssrc=0xbc5e9a40
        0x00, 0x00, 0x00, 0x00, // fracLost=0, totalLost=0
        0x00, 0x00, 0x46, 0xe1, // lastSeq=0x46e1
        0x00, 0x00, 0x01, 0x11, // jitter=273
        0x09, 0xf3, 0x64, 0x32, // lsr=0x9f36432
        0x00, 0x02, 0x4a, 0x79, // delay=150137
    ];

    [Fact]
    public void TryUnmarshal_reads_reception_report()
    {
        Assert.True(ReceiverReport.TryUnmarshal(Valid, out var rr, out _));
        Assert.Equal(0x902f9e2eu, rr.Ssrc);
        Assert.Equal(new ReceptionReport(0xbc5e9a40, 0, 0, 0x46e1, 273, 0x9f36432, 150137), Assert.Single(rr.Reports));
    }

    [Fact]
    public void Marshal_round_trips_with_negative_total_lost()
    {
        var rr = new ReceiverReport { Ssrc = 1, Reports = [new ReceptionReport(2, 25, -3, 70000, 12, 34, 56)] };
        var buffer = new byte[rr.MarshalSize];
        rr.MarshalTo(buffer);
        Assert.Equal(new byte[] { 25, 0xff, 0xff, 0xfd }, buffer[12..16]); // fraction=25, lost=-3 (24-bit two's complement)
        Assert.True(ReceiverReport.TryUnmarshal(buffer, out var back, out _));
        Assert.Equal(rr.Reports[0], back.Reports[0]);
    }

    [Fact]
    public void TryUnmarshal_rejects_bad_version_and_short_length()
    {
        var badVersion = (byte[])Valid.Clone();
        badVersion[0] = 0x41;
        Assert.False(ReceiverReport.TryUnmarshal(badVersion, out _, out var error));
        Assert.Equal(ParseError.BadVersion, error);

        byte[] shortCount = [0x81, 0xc9, 0x00, 0x01, 0x90, 0x2f, 0x9e, 0x2e]; // count=1, no block
        Assert.False(ReceiverReport.TryUnmarshal(shortCount, out _, out error));
        Assert.Equal(ParseError.BadLength, error);
    }

    [Fact]
    public void TryUnmarshal_never_throws_on_random_input() =>
        RtcpFuzz.NeverThrows(d => ReceiverReport.TryUnmarshal(d, out _, out _), RtcpPacketType.ReceiverReport, 1, seed: 201);
}
