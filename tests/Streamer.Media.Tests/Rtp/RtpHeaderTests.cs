using Streamer.Media.Rtp;

namespace Streamer.Media.Tests.Rtp;

public class RtpHeaderTests
{
    [Fact]
    public void TryRead_reports_offsets_and_finds_extension_in_raw_packet()
    {
        byte[] data =
        [
            0x90, 0xe0, 0x12, 0x34, // v=2, x=1, m=1, pt=96, seq=0x1234
            0x00, 0x00, 0x0b, 0xb8, // timestamp=3000
            0xde, 0xad, 0xbe, 0xef, // ssrc
            0xbe, 0xde, 0x00, 0x01, // one-byte profile, 1 word
            0x00, 0x51, 0x00, 0x07, // padding byte, id=5 len=2 transport seq=7
            0xaa,                   // payload
        ];
        Assert.True(RtpHeader.TryRead(data, out var h, out int headerLength, out _));
        Assert.Equal(20, headerLength);
        Assert.Equal(20, h.PayloadOffset);
        Assert.True(h.Marker);
        Assert.Equal(0x1234, h.SequenceNumber);
        Assert.Equal(3000u, h.Timestamp);
        Assert.Equal(0xdeadbeefu, h.Ssrc);
        Assert.True(h.TryGetExtension(data, 5, out var value));
        Assert.True(TransportSequenceNumber.TryRead(value, out ushort twcc));
        Assert.Equal(7, twcc);
        Assert.False(h.TryGetExtension(data, 6, out _));
    }
}
