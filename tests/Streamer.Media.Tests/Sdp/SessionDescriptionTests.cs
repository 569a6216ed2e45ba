using Streamer.Media.Sdp;

namespace Streamer.Media.Tests.Sdp;

public class SessionDescriptionTests
{
    private static SessionDescription ParseOffer()
    {
        Assert.True(SessionDescription.TryParse(SdpResources.ChromiumOffer(), out var offer, out string error), error);
        return offer!;
    }

    [Fact]
    public void Chromium_offer_parses_session_level_lines()
    {
        var offer = ParseOffer();

        Assert.Equal(0, offer.Version);
        Assert.Equal(new SdpOrigin("-", "6845507469190946946", 2, "IN", "IP4", "127.0.0.1"), offer.Origin);
        Assert.Equal("-", offer.SessionName);
        Assert.Equal(new SdpTiming(0, 0), offer.Timing);
        Assert.Equal(["0", "1"], offer.BundleMids);
        Assert.True(offer.HasAttribute("extmap-allow-mixed"));
        Assert.Equal(" WMS b18fc9a9-f3a2-4c61-ad74-99f71383142b", offer.GetAttribute("msid-semantic"));
        Assert.False(offer.IceLite);
        Assert.Equal(2, offer.Media.Count);
    }

    [Fact]
    public void Chromium_offer_video_section_exposes_codecs_and_transport()
    {
        var offer = ParseOffer();
        var video = offer.Media[0];

        Assert.Equal(MediaKind.Video, video.Kind);
        Assert.Equal(9, video.Port);
        Assert.Equal("UDP/TLS/RTP/SAVPF", video.Protocol);
        Assert.Equal(23, video.PayloadTypes.Count);
        Assert.Equal([96, 97, 102], video.PayloadTypes.Take(3));
        Assert.Equal(new SdpConnection("IN", "IP4", "0.0.0.0"), video.Connection);
        Assert.Equal("0", video.Mid);
        Assert.Equal(MediaDirection.SendOnly, video.Direction);
        Assert.True(video.RtcpMux);
        Assert.True(video.RtcpReducedSize);
        Assert.Equal(new RtpMap(96, "VP8", 90000, 1), video.GetRtpMap(96));
        Assert.Equal(new RtpMap(45, "AV1", 90000, 1), video.GetRtpMap(45));
        Assert.Equal("apt=96", video.GetFmtp(97));
        Assert.Equal("level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42001f", video.GetFmtp(104));
        Assert.Equal(["goog-remb", "transport-cc", "ccm fir", "nack", "nack pli"], video.GetRtcpFeedback(96));
        Assert.Empty(video.GetRtcpFeedback(97));
        Assert.Null(video.GetRtpMap(55));
        Assert.Equal(11, video.ExtMaps.Count);
        Assert.Equal(new ExtMap(2, null, ExtMap.AbsSendTime, null), video.ExtMaps[1]);
        Assert.Equal(new ExtMap(3, null, ExtMap.VideoOrientation, null), video.ExtMaps[2]);
        Assert.Equal([1860414042u, 2917084585u], video.Ssrcs);
        var fid = Assert.Single(video.SsrcGroups);
        Assert.Equal("FID", fid.Semantics);
        Assert.Equal([1860414042u, 2917084585u], fid.Ssrcs);
    }

    [Fact]
    public void Chromium_offer_audio_section_and_transport_attributes()
    {
        var offer = ParseOffer();
        var audio = offer.Media[1];

        Assert.Equal(MediaKind.Audio, audio.Kind);
        Assert.Equal("1", audio.Mid);
        Assert.Equal(new RtpMap(111, "opus", 48000, 2), audio.GetRtpMap(111));
        Assert.Equal("minptime=10;useinbandfec=1", audio.GetFmtp(111));
        Assert.Equal(new ExtMap(14, null, ExtMap.AudioLevel, null), audio.ExtMaps[0]);
        Assert.Equal([784157458u], audio.Ssrcs);
        Assert.Equal("i22M", offer.GetIceUfrag(audio));
        Assert.Equal("zK7uejQmJBfosGPxeE+H38QA", offer.GetIcePwd(audio));
        Assert.Equal("actpass", offer.GetSetup(audio));
        var fingerprint = offer.GetFingerprint(audio);
        Assert.NotNull(fingerprint);
        Assert.Equal("sha-256", fingerprint.Algorithm);
        Assert.StartsWith("BA:03:06", fingerprint.Value, StringComparison.Ordinal);
        Assert.Equal(MediaDirection.SendOnly, offer.GetDirection(audio));
    }

    [Fact]
    public void Chromium_offer_round_trips_byte_for_byte_with_crlf()
    {
        string text = SdpResources.ChromiumOffer().Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.True(SessionDescription.TryParse(text, out var offer, out _));

        string written = offer!.ToString();

        Assert.Equal(text.Replace("\n", "\r\n", StringComparison.Ordinal), written);
    }

    [Fact]
    public void Lf_and_crlf_parse_to_the_same_description()
    {
        string lf = SdpResources.ChromiumOffer().Replace("\r\n", "\n", StringComparison.Ordinal);
        string crlf = lf.Replace("\n", "\r\n", StringComparison.Ordinal);

        Assert.True(SessionDescription.TryParse(lf, out var fromLf, out _));
        Assert.True(SessionDescription.TryParse(crlf, out var fromCrlf, out _));

        Assert.Equal(fromLf!.ToString(), fromCrlf!.ToString());
        Assert.Equal("i22M", fromCrlf.GetIceUfrag(fromCrlf.Media[0]));
    }

    [Fact]
    public void Media_level_transport_attributes_win_over_session_level()
    {
        const string Sdp =
            "v=0\n" +
            "o=- 1 1 IN IP4 0.0.0.0\n" +
            "s=-\n" +
            "t=0 0\n" +
            "a=ice-ufrag:session\n" +
            "a=ice-pwd:sessionpwd\n" +
            "a=fingerprint:sha-256 AA:BB\n" +
            "a=setup:actpass\n" +
            "a=recvonly\n" +
            "m=audio 9 UDP/TLS/RTP/SAVPF 111\n" +
            "a=ice-ufrag:media\n" +
            "a=fingerprint:sha-1 CC:DD\n" +
            "a=sendrecv\n" +
            "m=audio 9 UDP/TLS/RTP/SAVPF 111\n";

        Assert.True(SessionDescription.TryParse(Sdp, out var description, out string error), error);
        var first = description!.Media[0];
        var second = description.Media[1];

        Assert.Equal("media", description.GetIceUfrag(first));
        Assert.Equal("sessionpwd", description.GetIcePwd(first));
        Assert.Equal(new SdpFingerprint("sha-1", "CC:DD"), description.GetFingerprint(first));
        Assert.Equal(MediaDirection.SendRecv, description.GetDirection(first));
        Assert.Equal("session", description.GetIceUfrag(second));
        Assert.Equal(new SdpFingerprint("sha-256", "AA:BB"), description.GetFingerprint(second));
        Assert.Equal(MediaDirection.RecvOnly, description.GetDirection(second));
        Assert.Equal("actpass", description.GetSetup(second));
    }

    [Fact]
    public void Description_without_direction_is_sendrecv()
    {
        Assert.True(SessionDescription.TryParse("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nm=video 9 RTP/AVP 96\n", out var description, out _));

        Assert.Equal(MediaDirection.SendRecv, description!.GetDirection(description.Media[0]));
        Assert.Null(description.Media[0].Direction);
        Assert.Null(description.Media[0].Mid);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   \r\n  \n", "empty")]
    [InlineData("o=- 1 1 IN IP4 0.0.0.0\ns=-\n", "missing v=")]
    [InlineData("v=1\no=- 1 1 IN IP4 0.0.0.0\ns=-\n", "version")]
    [InlineData("v=0\na=rtcp-mux\no=- 1 1 IN IP4 0.0.0.0\ns=-\n", "missing o=")]
    [InlineData("v=0\n", "missing o=")]
    [InlineData("v=0\no=- 1 1 IN IP4 0.0.0.0\n", "missing s=")]
    [InlineData("v=0\no=- 1 1 IN IP4\ns=-\n", "o= line malformed")]
    [InlineData("v=0\no=- 1 x IN IP4 0.0.0.0\ns=-\n", "o= line malformed")]
    [InlineData("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nm=video 9 UDP/TLS/RTP/SAVPF\n", "m= line malformed")]
    [InlineData("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nm=video nine UDP/TLS/RTP/SAVPF 96\n", "m= line malformed")]
    [InlineData("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nm=video 70000 UDP/TLS/RTP/SAVPF 96\n", "m= line malformed")]
    [InlineData("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nm=video 9/0 UDP/TLS/RTP/SAVPF 96\n", "m= line malformed")]
    [InlineData("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\na=:value\n", "a= line malformed")]
    [InlineData("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\na=bad name\n", "a= line malformed")]
    [InlineData("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nc=IN IP4\n", "c= line malformed")]
    [InlineData("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0\n", "t= line malformed")]
    [InlineData("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nm=audio 9 RTP/AVP 0\nt=0 0\n", "t= line inside")]
    [InlineData("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nx=what\n", "unknown line type")]
    [InlineData("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nthis is not sdp\n", "line 4 is not <type>=<value>")]
    [InlineData("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nv=0\n", "second v=")]
    public void Malformed_sdp_is_rejected_with_a_reason(string text, string reason)
    {
        bool parsed = SessionDescription.TryParse(text, out var description, out string error);

        Assert.False(parsed);
        Assert.Null(description);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_text_is_rejected()
    {
        Assert.False(SessionDescription.TryParse(null, out _, out string error));
        Assert.Contains("empty", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Random_and_mutated_text_never_throws_and_what_parses_writes_back_parseable()
    {
        var random = new Random(8866);
        string[] offerLines = SdpResources.ChromiumOffer().Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        const string Alphabet = "vosmacbtik=: /\r\n0123456789IP4INUDPTLS-.*\0é";
        var options = SdpAnswererTests.Options();
        for (int i = 0; i < 1000; i++)
        {
            string text;
            if (i % 2 == 0)
            {
                var chars = new char[random.Next(0, 200)];
                for (int c = 0; c < chars.Length; c++)
                {
                    chars[c] = Alphabet[random.Next(Alphabet.Length)];
                }
                text = new string(chars);
            }
            else
            {
                string[] lines = (string[])offerLines.Clone();
                for (int m = 0; m < 3; m++)
                {
                    int line = random.Next(lines.Length);
                    if (lines[line].Length > 0)
                    {
                        int at = random.Next(lines[line].Length);
                        lines[line] = lines[line].Remove(at, 1).Insert(at, Alphabet[random.Next(Alphabet.Length)].ToString());
                    }
                }
                text = string.Join('\n', lines);
            }

            if (SessionDescription.TryParse(text, out var description, out _))
            {
                Assert.True(SessionDescription.TryParse(description!.ToString(), out _, out string again), again);
                _ = SdpAnswerer.TryCreateAnswer(description, options, out _, out _);
            }
        }
    }
}
