using Streamer.Media.Rtcp;

namespace Streamer.Media.Tests.Rtcp;

public class PictureLossIndicationTests
{
    // pion/rtcp picture_loss_indication_test.go "valid".
    private static readonly byte[] Valid =
    [
        0x81, 0xce, 0x00, 0x02, // v=2, p=0, FMT=1, PSFB, len=2
        0x00, 0x00, 0x00, 0x00, // sender=0
        0x4b, 0xc4, 0xfc, 0xb4, // media=0x4bc4fcb4
    ];

    [Fact]
    public void TryUnmarshal_reads_ssrcs_and_round_trips()
    {
        Assert.True(PictureLossIndication.TryUnmarshal(Valid, out var pli, out _));
        Assert.Equal(0u, pli.SenderSsrc);
        Assert.Equal(0x4bc4fcb4u, pli.MediaSsrc);
        var buffer = new byte[pli.MarshalSize];
        pli.MarshalTo(buffer);
        Assert.Equal(Valid, buffer);
    }

    [Fact]
    public void TryUnmarshal_rejects_short_and_wrong_type()
    {
        byte[] shortPli = [0x81, 0xce, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00]; // len=1: no media ssrc
        Assert.False(PictureLossIndication.TryUnmarshal(shortPli, out _, out var error));
        Assert.Equal(ParseError.BadLength, error);

        var rtpfb = (byte[])Valid.Clone();
        rtpfb[1] = 0xcd; // RTPFB
        Assert.False(PictureLossIndication.TryUnmarshal(rtpfb, out _, out error));
        Assert.Equal(ParseError.UnknownType, error);
    }

    [Fact]
    public void TryUnmarshal_never_throws_on_random_input() =>
        RtcpFuzz.NeverThrows(d => PictureLossIndication.TryUnmarshal(d, out _, out _), RtcpPacketType.PayloadFeedback, RtcpFeedbackFormat.Pli, seed: 206);
}
