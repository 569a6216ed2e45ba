using Streamer.Media.Rtcp;

namespace Streamer.Media.Tests.Rtcp;

public class ReceiverEstimatedMaximumBitrateTests
{
    // pion/rtcp receiver_estimated_maximum_bitrate_test.go.
    private static readonly byte[] Valid =
    [
        0x8f, 0xce, 0x00, 0x05, // v=2, p=0, FMT=15, PSFB, len=5
        0x00, 0x00, 0x00, 0x01, // sender=1
        0x00, 0x00, 0x00, 0x00, // media=0
        0x52, 0x45, 0x4d, 0x42, // "REMB"
        0x01, 0x1a, 0x20, 0xdf, // num=1, exp=6, mantissa=139487
        0x48, 0x74, 0xed, 0x16, // ssrc=1215622422
    ];

    [Fact]
    public void TryUnmarshal_decodes_exponent_and_mantissa()
    {
        Assert.True(ReceiverEstimatedMaximumBitrate.TryUnmarshal(Valid, out var remb, out _));
        Assert.Equal(1u, remb.SenderSsrc);
        Assert.Equal(8927168UL, remb.Bitrate);
        Assert.Equal(new uint[] { 1215622422 }, remb.Ssrcs);
    }

    [Fact]
    public void Marshal_round_trips()
    {
        Assert.True(ReceiverEstimatedMaximumBitrate.TryUnmarshal(Valid, out var remb, out _));
        var buffer = new byte[remb.MarshalSize];
        remb.MarshalTo(buffer);
        Assert.Equal(Valid, buffer);
    }

    [Fact]
    public void TryUnmarshal_rejects_missing_identifier_and_ssrc_overrun()
    {
        var noMagic = (byte[])Valid.Clone();
        noMagic[12] = 0x41;
        Assert.False(ReceiverEstimatedMaximumBitrate.TryUnmarshal(noMagic, out _, out var error));
        Assert.Equal(ParseError.BadMagic, error);

        var overrun = (byte[])Valid.Clone();
        overrun[16] = 2; // two ssrcs announced, one present
        Assert.False(ReceiverEstimatedMaximumBitrate.TryUnmarshal(overrun, out _, out error));
        Assert.Equal(ParseError.BadLength, error);
    }

    [Fact]
    public void TryUnmarshal_never_throws_on_random_input() =>
        RtcpFuzz.NeverThrows(d => ReceiverEstimatedMaximumBitrate.TryUnmarshal(d, out _, out _), RtcpPacketType.PayloadFeedback, RtcpFeedbackFormat.ApplicationLayer, seed: 208);
}
