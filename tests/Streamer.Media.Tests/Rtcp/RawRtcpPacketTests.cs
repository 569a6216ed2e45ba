using Streamer.Media.Rtcp;

namespace Streamer.Media.Tests.Rtcp;

public class RawRtcpPacketTests
{
    [Fact]
    public void TryUnmarshal_keeps_an_app_packet_whole()
    {
        byte[] app =
        [
            0x80, 0xcc, 0x00, 0x03, // v=2, APP, len=3
            0x4b, 0xaa, 0xe1, 0xab, // ssrc
            0x4e, 0x41, 0x4d, 0x45, // name="NAME"
            0x41, 0x42, 0x43, 0x44, // data="ABCD"
        ];
        Assert.True(RawRtcpPacket.TryUnmarshal(app, out var raw, out _));
        Assert.Equal(RtcpPacketType.ApplicationDefined, raw.Header.PacketType);
        var buffer = new byte[raw.MarshalSize];
        raw.MarshalTo(buffer);
        Assert.Equal(app, buffer);
    }

    [Fact]
    public void TryUnmarshal_rejects_length_past_end()
    {
        Assert.False(RawRtcpPacket.TryUnmarshal([0x80, 0xcc, 0x00, 0x03, 0, 0, 0, 0], out _, out var error));
        Assert.Equal(ParseError.TooShort, error);
    }

    [Fact]
    public void TryUnmarshal_never_throws_on_random_input() =>
        RtcpFuzz.NeverThrows(d => RawRtcpPacket.TryUnmarshal(d, out _, out _), RtcpPacketType.ApplicationDefined, 0, seed: 204);
}
