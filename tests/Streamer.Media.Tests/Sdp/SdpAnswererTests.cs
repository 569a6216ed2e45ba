using System.Net;
using Streamer.Media.Sdp;

namespace Streamer.Media.Tests.Sdp;

public class SdpAnswererTests
{
    private const string ServerFingerprint = "0F:1E:2D:3C:4B:5A:69:78:87:96:A5:B4:C3:D2:E1:F0:0F:1E:2D:3C:4B:5A:69:78:87:96:A5:B4:C3:D2:E1:F0";

    internal static AnswerOptions Options() => new()
    {
        IceUfrag = "srvU",
        IcePwd = "server-ice-password-0123",
        Fingerprint = ServerFingerprint,
        Candidate = new IPEndPoint(IPAddress.Parse("127.0.0.1"), 40000),
        SessionId = 1234567890,
    };

    private static SessionDescription Offer()
    {
        Assert.True(SessionDescription.TryParse(SdpResources.ChromiumOffer(), out var offer, out string error), error);
        return offer!;
    }

    private static SdpAnswer Answer(SessionDescription offer, AnswerOptions options)
    {
        Assert.True(SdpAnswerer.TryCreateAnswer(offer, options, out var answer, out string error), error);
        return answer!;
    }

    /// <summary>Moves the given payload types to the front of the m= line, keeping the rest in order.</summary>
    private static void Prefer(MediaDescription media, params string[] payloadTypes)
    {
        media.Formats.RemoveAll(payloadTypes.Contains);
        media.Formats.InsertRange(0, payloadTypes);
    }

    private static void SetDirection(MediaDescription media, string direction)
    {
        media.Attributes.RemoveAll(a => a.Name is "sendonly" or "recvonly" or "sendrecv" or "inactive");
        media.Attributes.Add(new SdpAttribute(direction));
    }

    [Fact]
    public void Answer_picks_vp8_when_vp8_is_first()
    {
        var answer = Answer(Offer(), Options());

        var video = answer.Media[0];
        Assert.Equal(MediaKind.Video, video.Kind);
        Assert.Equal(new NegotiatedCodec(96, "VP8", 90000, 1, null), video.Codec);
        Assert.Equal(["goog-remb", "transport-cc", "ccm fir", "nack", "nack pli"], video.Feedback);
        var section = answer.Answer.Media[0];
        Assert.Equal(["96", "97"], section.Formats);
        Assert.Equal([new RtpMap(96, "VP8", 90000, 1), new RtpMap(97, "rtx", 90000, 1)], section.RtpMaps);
    }

    [Fact]
    public void Answer_picks_the_h264_packetization_mode_1_payload_type_when_only_h264_is_allowed()
    {
        var answer = Answer(Offer(), Options() with { VideoCodecs = ["H264"] });

        var codec = answer.Media[0].Codec;
        Assert.Equal(102, codec.PayloadType);
        Assert.Equal("H264", codec.Name);
        Assert.Equal("level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f", codec.Fmtp);
        Assert.Equal("level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f", answer.Answer.Media[0].GetFmtp(102));
    }

    [Fact]
    public void Answer_skips_h264_packetization_mode_0_even_when_offered_first()
    {
        var offer = Offer();
        Prefer(offer.Media[0], "104", "114", "108");

        var answer = Answer(offer, Options() with { VideoCodecs = ["H264"] });

        Assert.Equal(108, answer.Media[0].Codec.PayloadType);
        Assert.Contains("profile-level-id=42e01f", answer.Media[0].Codec.Fmtp, StringComparison.Ordinal);
    }

    [Fact]
    public void Answer_follows_the_offer_order_not_the_allowed_list_order()
    {
        var vp8First = Answer(Offer(), Options() with { VideoCodecs = ["H264", "VP8"] });
        var offer = Offer();
        Prefer(offer.Media[0], "102");
        var h264First = Answer(offer, Options() with { VideoCodecs = ["VP8", "H264"] });

        Assert.Equal("VP8", vp8First.Media[0].Codec.Name);
        Assert.Equal("H264", h264First.Media[0].Codec.Name);
        Assert.Equal(102, h264First.Media[0].Codec.PayloadType);
    }

    [Fact]
    public void Answer_never_picks_rtx_red_or_fec_as_the_codec_even_when_listed()
    {
        var answer = Answer(Offer(), Options() with { VideoCodecs = ["rtx", "red", "ulpfec", "VP9"] });
        string text = answer.Answer.ToString();

        Assert.Equal(new NegotiatedCodec(98, "VP9", 90000, 1, "profile-id=0"), answer.Media[0].Codec);
        // rtx only as VP9's repair stream.
        Assert.Equal(99, answer.Media[0].Rtx?.PayloadType);
        Assert.Equal(["98", "99"], answer.Answer.Media[0].Formats);
        Assert.DoesNotContain("red/", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("ulpfec", text, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("VP8", 96, 97)]
    [InlineData("H264", 102, 103)]
    public void Answer_negotiates_rtx_with_apt_pointing_at_the_chosen_codec(string codec, int payloadType, int rtxPayloadType)
    {
        var answer = Answer(Offer(), Options() with { VideoCodecs = [codec] });

        var video = answer.Media[0];
        Assert.Equal(payloadType, video.Codec.PayloadType);
        Assert.Equal(rtxPayloadType, video.Rtx!.PayloadType);
        Assert.Equal(90000, video.Rtx.ClockRate);
        Assert.Equal(new Dictionary<uint, uint> { [2917084585] = 1860414042 }, video.Rtx.Ssrcs);
        // Through text and back, as the browser reads it.
        Assert.True(SessionDescription.TryParse(answer.Answer.ToString(), out var parsed, out string error), error);
        var section = parsed!.Media[0];
        Assert.Equal([payloadType.ToString(), rtxPayloadType.ToString()], section.Formats);
        Assert.Equal(new RtpMap(rtxPayloadType, "rtx", 90000, 1), section.GetRtpMap(rtxPayloadType));
        Assert.Equal($"apt={payloadType}", section.GetFmtp(rtxPayloadType));
        // Feedback belongs to the codec, not its repair stream.
        Assert.Empty(section.GetRtcpFeedback(rtxPayloadType).Except(section.GetRtcpFeedback(payloadType)));
        Assert.Equal(2, section.RtpMaps.Count);
    }

    [Fact]
    public void Answer_has_no_rtx_when_the_offer_lacks_it()
    {
        var offer = Offer();
        var video = offer.Media[0];
        var rtx = video.RtpMaps.Where(m => m.EncodingName == "rtx").Select(m => m.PayloadType.ToString()).ToHashSet();
        video.Formats.RemoveAll(rtx.Contains);
        video.Attributes.RemoveAll(a => a.Name is "rtpmap" or "fmtp" && rtx.Contains(a.Value!.Split(' ')[0]));

        var answer = Answer(offer, Options());

        Assert.Equal(96, answer.Media[0].Codec.PayloadType);
        Assert.Null(answer.Media[0].Rtx);
        Assert.Equal(["96"], answer.Answer.Media[0].Formats);
        Assert.DoesNotContain("rtx", answer.Answer.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("apt=", answer.Answer.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Answer_has_no_rtx_when_no_rtx_points_at_the_chosen_codec()
    {
        var offer = Offer();
        var video = offer.Media[0];
        // VP8's rtx (97) now repairs another payload type.
        int index = video.Attributes.FindIndex(a => a.Name == "fmtp" && a.Value == "97 apt=96");
        video.Attributes[index] = new SdpAttribute("fmtp", "97 apt=45");

        var answer = Answer(offer, Options());

        Assert.Equal(96, answer.Media[0].Codec.PayloadType);
        Assert.Null(answer.Media[0].Rtx);
        Assert.Equal(["96"], answer.Answer.Media[0].Formats);
    }

    [Fact]
    public void Answer_has_no_rtx_when_it_is_turned_off()
    {
        var answer = Answer(Offer(), Options() with { AcceptRtx = false });

        Assert.Null(answer.Media[0].Rtx);
        Assert.DoesNotContain("rtx", answer.Answer.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Audio_never_gets_rtx()
    {
        var answer = Answer(Offer(), Options());

        Assert.Null(answer.Media[1].Rtx);
        Assert.Equal(["111"], answer.Answer.Media[1].Formats);
    }

    [Fact]
    public void Answer_accepts_opus_receive_only_with_the_offer_fmtp()
    {
        var answer = Answer(Offer(), Options());

        var audio = answer.Media[1];
        Assert.Equal("1", audio.Mid);
        Assert.Equal(MediaKind.Audio, audio.Kind);
        Assert.Equal(1, audio.MLineIndex);
        Assert.Equal(new NegotiatedCodec(111, "opus", 48000, 2, "minptime=10;useinbandfec=1"), audio.Codec);
        Assert.Equal(["transport-cc"], audio.Feedback);
        Assert.Equal(MediaDirection.RecvOnly, audio.Direction);
        Assert.Equal([784157458u], audio.RemoteSsrcs);
        var section = answer.Answer.Media[1];
        Assert.Equal(["111"], section.Formats);
        Assert.Equal(new RtpMap(111, "opus", 48000, 2), section.GetRtpMap(111));
        Assert.Equal(MediaDirection.RecvOnly, section.Direction);
    }

    [Fact]
    public void Answer_keeps_only_abs_send_time_transport_cc_and_mid_extensions_with_offer_ids()
    {
        var answer = Answer(Offer(), Options());

        var expected = new Dictionary<string, int>
        {
            [ExtMap.AbsSendTime] = 2,
            [ExtMap.TransportWideCc] = 4,
            [ExtMap.SdesMid] = 9,
        };
        Assert.Equal(expected, answer.Media[0].HeaderExtensions);
        Assert.Equal(expected, answer.Media[1].HeaderExtensions);
        Assert.Equal(
            [new ExtMap(2, null, ExtMap.AbsSendTime, null), new ExtMap(4, null, ExtMap.TransportWideCc, null), new ExtMap(9, null, ExtMap.SdesMid, null)],
            answer.Answer.Media[0].ExtMaps);
    }

    [Fact]
    public void Video_remote_ssrcs_leave_out_the_rtx_ssrc()
    {
        var answer = Answer(Offer(), Options());

        Assert.Equal([1860414042u], answer.Media[0].RemoteSsrcs);
    }

    [Fact]
    public void Answer_text_has_bundle_ice_lite_and_transport_in_every_section()
    {
        var answer = Answer(Offer(), Options());

        // Through text and back, as the browser will read it.
        string text = answer.Answer.ToString();
        Assert.Contains("\r\n", text, StringComparison.Ordinal);
        Assert.True(SessionDescription.TryParse(text, out var parsed, out string error), error);
        Assert.Equal(["0", "1"], parsed!.BundleMids);
        Assert.True(parsed.IceLite);
        Assert.Equal("1234567890", parsed.Origin.SessionId);
        Assert.Equal(2, parsed.Media.Count);
        foreach (var (section, mid) in parsed.Media.Zip(["0", "1"]))
        {
            Assert.Equal(mid, section.Mid);
            Assert.Equal(40000, section.Port);
            Assert.Equal("UDP/TLS/RTP/SAVPF", section.Protocol);
            Assert.Equal(new SdpConnection("IN", "IP4", "127.0.0.1"), section.Connection);
            Assert.Equal("srvU", parsed.GetIceUfrag(section));
            Assert.Equal("server-ice-password-0123", parsed.GetIcePwd(section));
            Assert.Equal(new SdpFingerprint("sha-256", ServerFingerprint), parsed.GetFingerprint(section));
            Assert.Equal("passive", parsed.GetSetup(section));
            Assert.Equal(["1 1 udp 2130706431 127.0.0.1 40000 typ host"], section.GetAttributes("candidate"));
            Assert.True(section.HasAttribute("end-of-candidates"));
            Assert.True(section.RtcpMux);
            Assert.True(section.RtcpReducedSize);
            Assert.Equal(MediaDirection.RecvOnly, section.Direction);
        }
    }

    [Fact]
    public void Answer_reports_the_offer_transport_credentials()
    {
        var answer = Answer(Offer(), Options());

        Assert.Equal("i22M", answer.RemoteIceUfrag);
        Assert.Equal("zK7uejQmJBfosGPxeE+H38QA", answer.RemoteIcePwd);
        Assert.Equal("sha-256", answer.RemoteFingerprintAlgorithm);
        Assert.Equal("BA:03:06:C9:8B:E6:62:15:ED:47:CF:48:37:15:5B:0A:2B:C1:65:7A:5C:12:A9:8C:68:E5:7B:7D:BA:49:0F:7C", answer.RemoteFingerprint);
    }

    [Fact]
    public void Refused_audio_gets_port_zero_keeps_its_mid_and_leaves_the_bundle()
    {
        var answer = Answer(Offer(), Options() with { AcceptAudio = false });

        var audio = answer.Answer.Media[1];
        Assert.Equal(0, audio.Port);
        Assert.Equal("1", audio.Mid);
        Assert.Equal("audio", audio.Media);
        Assert.Equal(["0"], answer.Answer.BundleMids);
        Assert.Single(answer.Media);
    }

    [Fact]
    public void Unsupported_video_with_accepted_audio_still_answers()
    {
        var answer = Answer(Offer(), Options() with { VideoCodecs = ["H265"] });

        Assert.Equal(0, answer.Answer.Media[0].Port);
        Assert.Equal("0", answer.Answer.Media[0].Mid);
        Assert.Equal(["1"], answer.Answer.BundleMids);
        Assert.Equal(MediaKind.Audio, Assert.Single(answer.Media).Kind);
    }

    [Fact]
    public void Data_channel_section_is_rejected_with_port_zero()
    {
        var offer = Offer();
        var data = new MediaDescription("application", 9, "UDP/DTLS/SCTP", ["webrtc-datachannel"]);
        data.Attributes.Add(new SdpAttribute("mid", "2"));
        offer.Media.Add(data);
        offer.Attributes[0] = new SdpAttribute("group", "BUNDLE 0 1 2");

        var answer = Answer(offer, Options());

        var rejected = answer.Answer.Media[2];
        Assert.Equal(0, rejected.Port);
        Assert.Equal("2", rejected.Mid);
        Assert.Equal(["webrtc-datachannel"], rejected.Formats);
        Assert.Equal(["0", "1"], answer.Answer.BundleMids);
    }

    [Fact]
    public void Offer_with_no_common_codec_fails_and_lists_what_was_offered()
    {
        bool created = SdpAnswerer.TryCreateAnswer(Offer(), Options() with { VideoCodecs = ["H265"], AcceptAudio = false }, out var answer, out string error);

        Assert.False(created);
        Assert.Null(answer);
        Assert.StartsWith("no common codec", error, StringComparison.Ordinal);
        Assert.Contains("VP8", error, StringComparison.Ordinal);
        Assert.Contains("AV1", error, StringComparison.Ordinal);
        Assert.Contains("opus", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Offer_with_only_h264_packetization_mode_0_has_no_common_codec()
    {
        var offer = Offer();
        offer.Media[0].Formats.RemoveAll(pt => pt is not ("104" or "107"));
        offer.Media.RemoveAt(1);
        offer.Attributes[0] = new SdpAttribute("group", "BUNDLE 0");

        Assert.False(SdpAnswerer.TryCreateAnswer(offer, Options(), out _, out string error));
        Assert.Contains("no common codec", error, StringComparison.Ordinal);
        Assert.Contains("packetization-mode=0", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ice-ufrag", "ice-ufrag")]
    [InlineData("ice-pwd", "ice-pwd")]
    [InlineData("fingerprint", "fingerprint")]
    public void Offer_without_transport_credentials_fails(string attribute, string mentioned)
    {
        var offer = Offer();
        foreach (var media in offer.Media)
        {
            media.Attributes.RemoveAll(a => a.Name == attribute);
        }

        Assert.False(SdpAnswerer.TryCreateAnswer(offer, Options(), out var answer, out string error));
        Assert.Null(answer);
        Assert.Contains(mentioned, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("passive", false)]
    [InlineData("holdconn", false)]
    [InlineData("active", true)]
    [InlineData("actpass", true)]
    public void Offer_setup_must_let_the_server_be_dtls_server(string setup, bool accepted)
    {
        var offer = Offer();
        foreach (var media in offer.Media)
        {
            int index = media.Attributes.FindIndex(a => a.Name == "setup");
            media.Attributes[index] = new SdpAttribute("setup", setup);
        }

        bool created = SdpAnswerer.TryCreateAnswer(offer, Options(), out _, out string error);

        Assert.Equal(accepted, created);
        if (!accepted)
        {
            Assert.Contains("setup", error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Sendrecv_audio_answer_names_the_server_ssrc_and_stream()
    {
        var offer = Offer();
        SetDirection(offer.Media[1], "sendrecv");

        var answer = Answer(offer, Options() with { AudioDirection = MediaDirection.SendRecv, AudioSendSsrc = 424242, StreamId = "session-7" });

        var section = answer.Answer.Media[1];
        Assert.Equal(MediaDirection.SendRecv, answer.Media[1].Direction);
        Assert.Equal(MediaDirection.SendRecv, section.Direction);
        Assert.Equal([424242u], section.Ssrcs);
        Assert.Equal(["424242 cname:session-7", "424242 msid:session-7 session-7-audio"], section.GetAttributes("ssrc"));
        Assert.Equal("session-7 session-7-audio", section.GetAttribute("msid"));
        // The video section still only receives.
        Assert.Equal(MediaDirection.RecvOnly, answer.Answer.Media[0].Direction);
    }

    [Fact]
    public void Sendrecv_option_against_a_sendonly_offer_only_receives()
    {
        var answer = Answer(Offer(), Options() with { AudioDirection = MediaDirection.SendRecv, AudioSendSsrc = 424242 });

        Assert.Equal(MediaDirection.RecvOnly, answer.Media[1].Direction);
        Assert.Empty(answer.Answer.Media[1].GetAttributes("ssrc"));
    }

    [Fact]
    public void Section_without_rtcp_mux_is_rejected()
    {
        var offer = Offer();
        offer.Media[1].Attributes.RemoveAll(a => a.Name == "rtcp-mux");

        var answer = Answer(offer, Options());

        Assert.Equal(0, answer.Answer.Media[1].Port);
        Assert.Single(answer.Media);
    }

    [Fact]
    public void Ipv6_candidate_writes_ip6_connection()
    {
        var answer = Answer(Offer(), Options() with { Candidate = new IPEndPoint(IPAddress.Parse("2001:db8::5"), 40000) });

        Assert.Equal(new SdpConnection("IN", "IP6", "2001:db8::5"), answer.Answer.Media[0].Connection);
        Assert.Equal(["1 1 udp 2130706431 2001:db8::5 40000 typ host"], answer.Answer.Media[0].GetAttributes("candidate"));
    }
}
