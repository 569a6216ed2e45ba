using Streamer.Media.Rtsp;

namespace Streamer.Media.Tests.Rtsp;

public sealed class RtspHeaderTests
{
    [Fact]
    public void Tcp_transport_reply_gives_the_interleaved_channels()
    {
        Assert.True(RtspTransport.TryParse("RTP/AVP/TCP;unicast;interleaved=2-3;ssrc=1A2B3C4D;mode=\"PLAY\"", out var transport, out _));
        Assert.Equal(RtspTransportProtocol.Tcp, transport!.Protocol);
        Assert.Equal((2, 3), transport.Interleaved);
        Assert.Equal(0x1A2B3C4Du, transport.Ssrc);
    }

    [Fact]
    public void Udp_transport_reply_gives_both_port_pairs_and_round_trips()
    {
        Assert.True(RtspTransport.TryParse("RTP/AVP;unicast;client_port=50000-50001;server_port=6970-6971", out var transport, out _));
        Assert.Equal(RtspTransportProtocol.Udp, transport!.Protocol);
        Assert.Equal((50000, 50001), transport.ClientPorts);
        Assert.Equal((6970, 6971), transport.ServerPorts);
        Assert.Equal("RTP/AVP;unicast;client_port=50000-50001;server_port=6970-6971", transport.ToString());
    }

    [Theory]
    [InlineData("", ParseError.TooShort)]
    [InlineData("RAW/RAW/UDP;unicast", ParseError.Unsupported)]
    [InlineData("RTP/AVP;unicast;client_port=abc-1", ParseError.BadAttribute)]
    [InlineData("RTP/AVP/TCP;interleaved=0-300", ParseError.BadAttribute)]
    [InlineData("RTP/AVP;server_port=70000-70001", ParseError.BadAttribute)]
    [InlineData("RTP/AVP;ssrc=xyz", ParseError.BadAttribute)]
    public void Bad_transport_is_rejected(string value, ParseError expected)
    {
        Assert.False(RtspTransport.TryParse(value, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData("47112344;timeout=30", "47112344", 30)]
    [InlineData("ABCD", "ABCD", 60)]
    [InlineData(" xyz ; timeout=5 ", "xyz", 5)]
    public void Session_header_gives_id_and_timeout(string value, string id, int seconds)
    {
        Assert.True(RtspSessionHeader.TryParse(value, out var session, out _));
        Assert.Equal(id, session!.Id);
        Assert.Equal(TimeSpan.FromSeconds(seconds), session.Timeout);
    }

    [Theory]
    [InlineData("", ParseError.TooShort)]
    [InlineData("abc;timeout=x", ParseError.BadAttribute)]
    [InlineData("abc;timeout=0", ParseError.BadAttribute)]
    public void Bad_session_header_is_rejected(string value, ParseError expected)
    {
        Assert.False(RtspSessionHeader.TryParse(value, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Rtp_info_lists_each_stream()
    {
        Assert.True(RtpInfoEntry.TryParse("url=rtsp://cam/live/stream=0;seq=1234;rtptime=567890, url=rtsp://cam/live/stream=1;seq=9", out var entries, out _));
        Assert.Equal(2, entries.Count);
        Assert.Equal(new RtpInfoEntry("rtsp://cam/live/stream=0", 1234, 567890), entries[0]);
        Assert.Equal(new RtpInfoEntry("rtsp://cam/live/stream=1", 9, null), entries[1]);
        Assert.False(RtpInfoEntry.TryParse("url=x;seq=70000", out _, out var error));
        Assert.Equal(ParseError.BadAttribute, error);
    }

    [Fact]
    public void Interleaved_frame_header_round_trips()
    {
        byte[] bytes =
        [
            0x24,       // '$'
            0x01,       // channel 1 (RTCP of track 0)
            0x00, 0x1C, // length 28
        ];
        Assert.True(RtspInterleavedFrame.TryUnmarshal(bytes, out var frame, out _));
        Assert.Equal(new RtspInterleavedFrame(1, 28), frame);
        var written = new byte[RtspInterleavedFrame.HeaderSize];
        Assert.Equal(4, frame.MarshalTo(written));
        Assert.Equal(bytes, written);
        Assert.False(RtspInterleavedFrame.TryUnmarshal(bytes.AsSpan(0, 3), out _, out var error));
        Assert.Equal(ParseError.TooShort, error);
        Assert.False(RtspInterleavedFrame.TryUnmarshal([0x52, 0x54, 0x53, 0x50], out _, out error)); // "RTSP"
        Assert.Equal(ParseError.BadMagic, error);
    }

    [Theory]
    [InlineData("rtsp://cam/live/", "stream=0", "rtsp://cam/live/stream=0")]
    [InlineData("rtsp://cam/live", "stream=0", "rtsp://cam/live/stream=0")]
    [InlineData("rtsp://cam/live/", "*", "rtsp://cam/live/")]
    [InlineData("rtsp://cam/live/", null, "rtsp://cam/live/")]
    [InlineData("rtsp://cam/live/", "rtsp://other:8554/track1", "rtsp://other:8554/track1")]
    [InlineData("rtsp://cam:554/live/", "/media/track2", "rtsp://cam:554/media/track2")]
    public void Control_urls_resolve_against_the_base(string baseUrl, string? control, string expected) =>
        Assert.Equal(expected, RtspUrl.ResolveControl(baseUrl, control));

    [Fact]
    public void Url_credentials_are_split_off_and_never_shown()
    {
        Assert.True(RtspUrl.TryParse("rtsp://admin:p%40ss@10.0.0.5:8554/h264", out var url, out _));
        Assert.Equal("admin", url!.Credentials!.UserName);
        Assert.Equal("p@ss", url.Credentials.Password);
        Assert.Equal(8554, url.Port);
        Assert.Equal("rtsp://10.0.0.5:8554/h264", url.Redacted);
        Assert.DoesNotContain("p@ss", url.Credentials.ToString());
        Assert.DoesNotContain("admin", url.ToString());
        Assert.Equal("rtsp://cam/x", RtspUrl.Redact("rtsp://u:secret@cam/x"));
        Assert.False(RtspUrl.TryParse("http://u:secret@cam/x", out _, out var error));
        Assert.DoesNotContain("secret", error);
        Assert.True(RtspUrl.TryParse("rtsp://cam/x", out var plain, out _));
        Assert.Equal(554, plain!.Port);
    }
}
