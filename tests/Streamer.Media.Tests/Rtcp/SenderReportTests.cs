using Streamer.Media.Rtcp;

namespace Streamer.Media.Tests.Rtcp;

public class SenderReportTests
{
    // pion/rtcp sender_report_test.go "valid".
    private static readonly byte[] Valid =
    [
        0x81, 0xc8, 0x00, 0x0c, // v=2, p=0, count=1, SR, len=12
        0x90, 0x2f, 0x9e, 0x2e, // ssrc=0x902f9e2e
        0xda, 0x8b, 0xd1, 0xfc, // ntp=0xda8bd1fcdddda05a
        0xdd, 0xdd, 0xa0, 0x5a,
        0xaa, 0xf4, 0xed, 0xd5, // rtp=0xaaf4edd5
        0x00, 0x00, 0x00, 0x01, // packetCount=1
        0x00, 0x00, 0x00, 0x02, // octetCount=2
        0xbc, 0x5e, 0x9a, 0x40, // ssrc=0xbc5e9a40
        0x00, 0x00, 0x00, 0x00, // fracLost=0, totalLost=0
        0x00, 0x00, 0x46, 0xe1, // lastSeq=0x46e1
        0x00, 0x00, 0x01, 0x11, // jitter=273
        0x09, 0xf3, 0x64, 0x32, // lsr=0x9f36432
        0x00, 0x02, 0x4a, 0x79, // delay=150137
    ];

    [Fact]
    public void TryUnmarshal_reads_sender_info_and_report()
    {
        Assert.True(SenderReport.TryUnmarshal(Valid, out var sr, out _));
        Assert.Equal(0x902f9e2eu, sr.Ssrc);
        Assert.Equal(0xda8bd1fcdddda05aUL, sr.NtpTime);
        Assert.Equal(0xaaf4edd5u, sr.RtpTime);
        Assert.Equal(1u, sr.PacketCount);
        Assert.Equal(2u, sr.OctetCount);
        var report = Assert.Single(sr.Reports);
        Assert.Equal(new ReceptionReport(0xbc5e9a40, 0, 0, 0x46e1, 273, 0x9f36432, 150137), report);
        Assert.Empty(sr.ProfileExtensions);
    }

    [Fact]
    public void Marshal_round_trips()
    {
        Assert.True(SenderReport.TryUnmarshal(Valid, out var sr, out _));
        var buffer = new byte[sr.MarshalSize];
        Assert.Equal(Valid.Length, sr.MarshalTo(buffer));
        Assert.Equal(Valid, buffer);
    }

    [Fact]
    public void TryUnmarshal_rejects_wrong_type_truncation_and_missing_blocks()
    {
        var wrongType = (byte[])Valid.Clone();
        wrongType[1] = 0xc9; // RR
        Assert.False(SenderReport.TryUnmarshal(wrongType, out _, out var error));
        Assert.Equal(ParseError.UnknownType, error);

        Assert.False(SenderReport.TryUnmarshal(Valid.AsSpan(0, 20), out _, out error));
        Assert.Equal(ParseError.TooShort, error);

        var tooManyBlocks = (byte[])Valid.Clone();
        tooManyBlocks[0] = 0x82; // count=2, only one block present
        Assert.False(SenderReport.TryUnmarshal(tooManyBlocks, out _, out error));
        Assert.Equal(ParseError.BadLength, error);
    }

    [Fact]
    public void TryUnmarshal_never_throws_on_random_input() =>
        RtcpFuzz.NeverThrows(d => SenderReport.TryUnmarshal(d, out _, out _), RtcpPacketType.SenderReport, 1, seed: 200);
}
