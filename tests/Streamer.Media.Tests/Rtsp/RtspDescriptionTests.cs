using Streamer.Media.Codecs;
using Streamer.Media.Rtsp;

namespace Streamer.Media.Tests.Rtsp;

public sealed class RtspDescriptionTests
{
    // What GStreamer's RTSP server answers for an H.264 stream (ssrc and origin shortened).
    private const string H264Sdp =
        "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=Session streamed with GStreamer\r\ni=rtsp-server\r\nt=0 0\r\n" +
        "a=control:*\r\na=range:npt=now-\r\nm=video 0 RTP/AVP 96\r\nc=IN IP4 0.0.0.0\r\na=rtpmap:96 H264/90000\r\n" +
        "a=fmtp:96 packetization-mode=1;sprop-parameter-sets=Z0LADIyNQKD5APCIRqA=,aM48gA==;profile-level-id=42c00c\r\n" +
        "a=control:stream=0\r\n";

    [Fact]
    public void Tracks_get_control_urls_under_the_content_base()
    {
        Assert.True(RtspDescription.TryCreate(H264Sdp, "rtsp://127.0.0.1:8554/live/", out var description, out _));
        Assert.Equal("rtsp://127.0.0.1:8554/live/", description!.AggregateControlUrl);
        var video = Assert.Single(description.Tracks);
        Assert.Same(video, description.Video);
        Assert.Equal("rtsp://127.0.0.1:8554/live/stream=0", video.ControlUrl);
        Assert.Equal(("H264", 90000, 96), (video.EncodingName, video.ClockRate, video.PayloadType));
    }

    [Fact]
    public void H264_depacketizer_is_seeded_with_sprop_parameter_sets()
    {
        RtspDescription.TryCreate(H264Sdp, "rtsp://cam/live/", out var description, out _);
        Assert.True(RtspDepacketizers.TryCreate(description!.Video!, out var depacketizer, out _));
        var h264 = Assert.IsType<H264Depacketizer>(depacketizer);
        Assert.Equal(Convert.FromBase64String("Z0LADIyNQKD5APCIRqA="), h264.LastSps.ToArray());
        Assert.Equal(Convert.FromBase64String("aM48gA=="), h264.LastPps.ToArray());
    }

    [Fact]
    public void H265_depacketizer_is_seeded_with_sprop_vps_sps_pps()
    {
        var sdp = H264Sdp.Replace("H264/90000", "H265/90000", StringComparison.Ordinal).Replace(
            "packetization-mode=1;sprop-parameter-sets=Z0LADIyNQKD5APCIRqA=,aM48gA==;profile-level-id=42c00c",
            "sprop-vps=QAEMAf//BAgAAAMAmAgAAAMAAD+6AkA=;sprop-sps=QgEBBAgAAAMAmAgAAAMAAD+QAUEB4ilLdJSYX/4AAgAC1BgYGBAAAAMAEAAAAwDwgA==;sprop-pps=RAHAcDBgMSA=",
            StringComparison.Ordinal);
        RtspDescription.TryCreate(sdp, "rtsp://cam/live/", out var description, out _);
        Assert.True(RtspDepacketizers.TryCreate(description!.Video!, out var depacketizer, out _));
        var h265 = Assert.IsType<H265Depacketizer>(depacketizer);
        Assert.Equal(Convert.FromBase64String("QAEMAf//BAgAAAMAmAgAAAMAAD+6AkA="), h265.LastVps.ToArray());
        Assert.Equal(Convert.FromBase64String("RAHAcDBgMSA="), h265.LastPps.ToArray());
    }

    [Theory]
    [InlineData("m=video 0 RTP/AVP 26\r\n", "JPEG")]                                  // static payload type, no rtpmap
    [InlineData("m=video 0 RTP/AVP 96\r\na=rtpmap:96 MP4V-ES/90000\r\n", "MP4V-ES")]  // MPEG-4 part 2
    public void Unsupported_codec_is_named_in_the_error(string media, string codec)
    {
        var sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n" + media;
        Assert.True(RtspDescription.TryCreate(sdp, "rtsp://cam/", out var description, out _));
        Assert.False(RtspDepacketizers.TryCreate(description!.Video!, out _, out var error));
        Assert.Contains(codec, error);
    }

    [Fact]
    public void Invalid_sdp_is_a_clear_error()
    {
        Assert.False(RtspDescription.TryCreate("not sdp", "rtsp://cam/", out _, out var error));
        Assert.Contains("SDP", error);
    }
}
