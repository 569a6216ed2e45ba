using Streamer.Media.Rtp;

namespace Streamer.Media.Tests.Rtp;

public class RtpDemuxTests
{
    [Theory]
    [InlineData(0x80, 0xc8, true)]  // SR, PT=200
    [InlineData(0x81, 0xc9, true)]  // RR, PT=201
    [InlineData(0x8f, 0xcd, true)]  // RTPFB, PT=205
    [InlineData(0x80, 0xdf, true)]  // PT=223 (95 with marker)
    [InlineData(0x80, 0x60, false)] // RTP pt=96
    [InlineData(0x80, 0xe0, false)] // RTP pt=96 with marker
    [InlineData(0x80, 0x3f, false)] // RTP pt=63
    [InlineData(0x80, 0x6f, false)] // RTP pt=111
    public void IsRtcp_splits_by_payload_type_range(byte b0, byte b1, bool expected) =>
        Assert.Equal(expected, RtpDemux.IsRtcp([b0, b1, 0, 0]));

    [Fact]
    public void IsRtcp_is_false_for_tiny_input() => Assert.False(RtpDemux.IsRtcp([0x80]));
}
