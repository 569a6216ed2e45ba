using Streamer.Media.Rtcp;

namespace Streamer.Media.Tests.Rtcp;

public class FullIntraRequestTests
{
    // pion/rtcp full_intra_request_test.go "valid".
    private static readonly byte[] Valid =
    [
        0x84, 0xce, 0x00, 0x04, // v=2, p=0, FMT=4, PSFB, len=4
        0x00, 0x00, 0x00, 0x00, // sender=0
        0x4b, 0xc4, 0xfc, 0xb4, // media=0x4bc4fcb4
        0x12, 0x34, 0x56, 0x78, // fir ssrc=0x12345678
        0x42, 0x00, 0x00, 0x00, // seqno=0x42
    ];

    [Fact]
    public void TryUnmarshal_reads_entries_and_round_trips()
    {
        Assert.True(FullIntraRequest.TryUnmarshal(Valid, out var fir, out _));
        Assert.Equal(0x4bc4fcb4u, fir.MediaSsrc);
        Assert.Equal(new FirEntry(0x12345678, 0x42), Assert.Single(fir.Entries));
        var buffer = new byte[fir.MarshalSize];
        fir.MarshalTo(buffer);
        Assert.Equal(Valid, buffer);
    }

    [Fact]
    public void TryUnmarshal_rejects_partial_entry()
    {
        byte[] partial = [0x84, 0xce, 0x00, 0x03, 0, 0, 0, 0, 0, 0, 0, 1, 0x12, 0x34, 0x56, 0x78]; // 4 of 8 entry bytes
        Assert.False(FullIntraRequest.TryUnmarshal(partial, out _, out var error));
        Assert.Equal(ParseError.BadLength, error);
    }

    [Fact]
    public void TryUnmarshal_never_throws_on_random_input() =>
        RtcpFuzz.NeverThrows(d => FullIntraRequest.TryUnmarshal(d, out _, out _), RtcpPacketType.PayloadFeedback, RtcpFeedbackFormat.Fir, seed: 207);
}
