using System.Buffers.Binary;
using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Streamer.Media.Sdp;

/// <summary>
/// Builds the answer of an ICE-lite, DTLS-server, receive-mostly endpoint to a browser's offer
/// (JSEP, RFC 8829 section 5.3). One codec per section, plus RTX (RFC 4588) for the video codec
/// when the offer has it: browsers answer NACKs reliably only over RTX. No RED or FEC.
/// </summary>
public static class SdpAnswerer
{
    private const string RtpProfile = "RTP/SAVPF";
    private const string H264PacketizationMode1 = "packetization-mode=1";
    private const string Rtx = "rtx";
    private const string AssociatedPayloadType = "apt=";

    private static readonly string[] AcceptedFeedback = ["nack", "nack pli", "ccm fir", "goog-remb", "transport-cc"];
    private static readonly string[] AcceptedExtensions = [ExtMap.AbsSendTime, ExtMap.TransportWideCc, ExtMap.SdesMid];
    private static readonly string[] RepairCodecs = ["rtx", "red", "ulpfec", "flexfec-03"];

    public static bool TryCreateAnswer(SessionDescription offer, AnswerOptions options, out SdpAnswer? answer, out string error)
    {
        answer = null;
        if (offer.Media.Count == 0)
        {
            error = "offer has no media sections";
            return false;
        }

        var description = new SessionDescription(new SdpOrigin(
            "-",
            (options.SessionId ?? RandomSessionId()).ToString(CultureInfo.InvariantCulture),
            2,
            "IN",
            "IP4",
            "127.0.0.1"));
        description.Timings.Add(new SdpTiming(0, 0));

        IReadOnlyList<string> offeredBundle = offer.BundleMids;
        var negotiated = new List<NegotiatedMedia>();
        var bundle = new List<string>();
        var offeredCodecs = new List<string>();
        string? remoteUfrag = null, remotePwd = null;
        SdpFingerprint? remoteFingerprint = null;

        for (int index = 0; index < offer.Media.Count; index++)
        {
            var offered = offer.Media[index];
            string? mid = offered.Mid;
            CollectCodecNames(offered, offeredCodecs);

            NegotiatedCodec? codec = SupportsTransport(offered, offeredBundle) ? ChooseCodec(offered, options) : null;
            if (codec is null)
            {
                description.Media.Add(Rejected(offered, options));
                continue;
            }

            // Every accepted section shares the one bundled transport, so each must carry the
            // credentials and a setup the server can answer as DTLS server.
            string? ufrag = offer.GetIceUfrag(offered);
            string? pwd = offer.GetIcePwd(offered);
            var fingerprint = offer.GetFingerprint(offered);
            if (ufrag is null || pwd is null)
            {
                error = $"offer m-line {index} has no ice-ufrag/ice-pwd";
                return false;
            }
            if (fingerprint is null)
            {
                error = $"offer m-line {index} has no fingerprint";
                return false;
            }
            string setup = offer.GetSetup(offered) ?? "actpass";
            if (setup is not ("actpass" or "active"))
            {
                error = $"offer m-line {index} has setup:{setup}; the server is the DTLS server, so it must be actpass or active";
                return false;
            }
            remoteUfrag ??= ufrag;
            remotePwd ??= pwd;
            remoteFingerprint ??= fingerprint;

            MediaKind kind = offered.Kind!.Value;
            MediaDirection direction = AnswerDirection(offer.GetDirection(offered), kind == MediaKind.Audio ? options.AudioDirection : MediaDirection.RecvOnly);
            var feedback = ChooseFeedback(offered, codec.PayloadType);
            var extensions = ChooseExtensions(offered);
            NegotiatedRtx? rtx = kind == MediaKind.Video && options.AcceptRtx ? ChooseRtx(offered, codec) : null;
            var section = Accepted(offered, options, codec, rtx, feedback, extensions, direction, kind);
            description.Media.Add(section);
            if (mid is not null)
            {
                bundle.Add(mid);
            }
            negotiated.Add(new NegotiatedMedia(
                mid ?? index.ToString(CultureInfo.InvariantCulture),
                kind,
                index,
                codec,
                feedback,
                extensions,
                PrimarySsrcs(offered),
                direction)
            {
                Rtx = rtx,
            });
        }

        if (negotiated.Count == 0)
        {
            error = "no common codec: offered " + (offeredCodecs.Count == 0 ? "nothing" : string.Join(", ", offeredCodecs))
                + "; accepted video " + string.Join(", ", options.VideoCodecs) + (options.AcceptAudio ? ", audio opus/48000/2" : "");
            return false;
        }

        if (bundle.Count > 0)
        {
            description.Attributes.Add(new SdpAttribute("group", "BUNDLE " + string.Join(' ', bundle)));
        }
        description.Attributes.Add(new SdpAttribute("ice-lite"));
        if (options.StreamId is not null && negotiated.Exists(m => m.Direction is MediaDirection.SendOnly or MediaDirection.SendRecv))
        {
            description.Attributes.Add(new SdpAttribute("msid-semantic", " WMS " + options.StreamId));
        }

        answer = new SdpAnswer(description, negotiated, remoteUfrag!, remotePwd!, remoteFingerprint!.Algorithm, remoteFingerprint.Value);
        error = "";
        return true;
    }

    /// <summary>
    /// SRTP over DTLS with rtcp-mux, inside the offer's BUNDLE group when it has one: the server
    /// runs one ICE agent and one DTLS session per peer, nothing else can be received.
    /// </summary>
    private static bool SupportsTransport(MediaDescription offered, IReadOnlyList<string> offeredBundle) =>
        offered.Port != 0
        && offered.Kind is not null
        && offered.Protocol.Contains(RtpProfile, StringComparison.OrdinalIgnoreCase)
        && offered.RtcpMux
        && (offeredBundle.Count == 0 || (offered.Mid is string mid && offeredBundle.Contains(mid)));

    private static NegotiatedCodec? ChooseCodec(MediaDescription offered, AnswerOptions options)
    {
        bool video = offered.Kind == MediaKind.Video;
        if (!video && !options.AcceptAudio)
        {
            return null;
        }
        var maps = new Dictionary<int, RtpMap>();
        foreach (var rtpMap in offered.RtpMaps)
        {
            maps.TryAdd(rtpMap.PayloadType, rtpMap);
        }
        foreach (int payloadType in offered.PayloadTypes)
        {
            if (!maps.TryGetValue(payloadType, out var map) || RepairCodecs.Contains(map.EncodingName, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }
            string? fmtp = offered.GetFmtp(payloadType);
            bool acceptable = video
                ? options.VideoCodecs.Contains(map.EncodingName, StringComparer.OrdinalIgnoreCase)
                    && (!string.Equals(map.EncodingName, "H264", StringComparison.OrdinalIgnoreCase) || IsPacketizationMode1(fmtp))
                : string.Equals(map.EncodingName, "opus", StringComparison.OrdinalIgnoreCase) && map.ClockRate == 48000 && map.Channels == 2;
            if (acceptable)
            {
                return new NegotiatedCodec(payloadType, map.EncodingName, map.ClockRate, map.Channels, fmtp);
            }
        }
        return null;
    }

    /// <summary>
    /// The offer's rtx payload type whose <c>apt</c> is the chosen codec (RFC 4588 section 8.6),
    /// with the RTX SSRCs its FID groups pair with primary SSRCs (RFC 5576 section 4.2).
    /// </summary>
    private static NegotiatedRtx? ChooseRtx(MediaDescription offered, NegotiatedCodec codec)
    {
        foreach (var map in offered.RtpMaps)
        {
            if (!string.Equals(map.EncodingName, Rtx, StringComparison.OrdinalIgnoreCase)
                || map.ClockRate != codec.ClockRate
                || !offered.PayloadTypes.Contains(map.PayloadType)
                || AptOf(offered.GetFmtp(map.PayloadType)) != codec.PayloadType)
            {
                continue;
            }
            var ssrcs = new Dictionary<uint, uint>();
            foreach (var group in offered.SsrcGroups)
            {
                if (group.Semantics == "FID" && group.Ssrcs.Count == 2)
                {
                    ssrcs.TryAdd(group.Ssrcs[1], group.Ssrcs[0]);
                }
            }
            return new NegotiatedRtx(map.PayloadType, map.ClockRate, ssrcs);
        }
        return null;
    }

    private static int? AptOf(string? fmtp)
    {
        foreach (string parameter in (fmtp ?? "").Split(';'))
        {
            string p = parameter.Trim();
            if (p.StartsWith(AssociatedPayloadType, StringComparison.OrdinalIgnoreCase)
                && int.TryParse(p.AsSpan(AssociatedPayloadType.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int apt))
            {
                return apt;
            }
        }
        return null;
    }

    /// <summary>Mode 0 sends one NAL unit per packet and no FU-A; the depacketizer wants mode 1 (RFC 6184).</summary>
    private static bool IsPacketizationMode1(string? fmtp) =>
        fmtp is not null && fmtp.Split(';').Any(p => string.Equals(p.Trim(), H264PacketizationMode1, StringComparison.OrdinalIgnoreCase));

    private static List<string> ChooseFeedback(MediaDescription offered, int payloadType)
    {
        var chosen = new List<string>();
        foreach (string feedback in offered.GetRtcpFeedback(payloadType))
        {
            string normalized = string.Join(' ', feedback.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            if (AcceptedFeedback.Contains(normalized, StringComparer.OrdinalIgnoreCase) && !chosen.Contains(normalized, StringComparer.OrdinalIgnoreCase))
            {
                chosen.Add(normalized);
            }
        }
        return chosen;
    }

    private static Dictionary<string, int> ChooseExtensions(MediaDescription offered)
    {
        var chosen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var extension in offered.ExtMaps)
        {
            // Ids above 14 need two-byte headers, which the answer does not enable (no extmap-allow-mixed).
            if (AcceptedExtensions.Contains(extension.Uri) && extension.Id <= 14)
            {
                chosen.TryAdd(extension.Uri, extension.Id);
            }
        }
        return chosen;
    }

    /// <summary>RFC 3264 section 6.1: the answer may only send what the offer receives, and receive what it sends.</summary>
    private static MediaDirection AnswerDirection(MediaDirection offered, MediaDirection local)
    {
        bool offerSends = offered is MediaDirection.SendRecv or MediaDirection.SendOnly;
        bool offerReceives = offered is MediaDirection.SendRecv or MediaDirection.RecvOnly;
        bool localSends = local is MediaDirection.SendRecv or MediaDirection.SendOnly;
        bool localReceives = local is MediaDirection.SendRecv or MediaDirection.RecvOnly;
        bool send = offerReceives && localSends;
        bool receive = offerSends && localReceives;
        return (send, receive) switch
        {
            (true, true) => MediaDirection.SendRecv,
            (true, false) => MediaDirection.SendOnly,
            (false, true) => MediaDirection.RecvOnly,
            _ => MediaDirection.Inactive,
        };
    }

    /// <summary>SSRCs from a=ssrc, minus the second and later members of FID and FEC groups (their repair streams).</summary>
    private static List<uint> PrimarySsrcs(MediaDescription offered)
    {
        var repair = new HashSet<uint>();
        foreach (var group in offered.SsrcGroups)
        {
            if (group.Semantics is "FID" or "FEC-FR" or "FEC")
            {
                for (int i = 1; i < group.Ssrcs.Count; i++)
                {
                    repair.Add(group.Ssrcs[i]);
                }
            }
        }
        return offered.Ssrcs.Where(s => !repair.Contains(s)).ToList();
    }

    private static MediaDescription Accepted(
        MediaDescription offered,
        AnswerOptions options,
        NegotiatedCodec codec,
        NegotiatedRtx? rtx,
        List<string> feedback,
        Dictionary<string, int> extensions,
        MediaDirection direction,
        MediaKind kind)
    {
        string pt = codec.PayloadType.ToString(CultureInfo.InvariantCulture);
        string? rtxPt = rtx?.PayloadType.ToString(CultureInfo.InvariantCulture);
        var section = new MediaDescription(offered.Media, options.Candidate.Port, offered.Protocol, rtxPt is null ? [pt] : [pt, rtxPt])
        {
            Connection = Connection(options),
        };
        var a = section.Attributes;
        if (offered.Mid is string mid)
        {
            a.Add(new SdpAttribute("mid", mid));
        }
        a.Add(new SdpAttribute("ice-ufrag", options.IceUfrag));
        a.Add(new SdpAttribute("ice-pwd", options.IcePwd));
        a.Add(new SdpAttribute("fingerprint", $"{options.FingerprintAlgorithm} {options.Fingerprint}"));
        a.Add(new SdpAttribute("setup", "passive"));
        a.Add(new SdpAttribute("candidate", Candidate(options)));
        a.Add(new SdpAttribute("end-of-candidates"));
        foreach (var (uri, id) in extensions.OrderBy(e => e.Value))
        {
            a.Add(new SdpAttribute("extmap", $"{id} {uri}"));
        }
        a.Add(new SdpAttribute(SdpAttributeList.ToAttributeName(direction)));
        a.Add(new SdpAttribute("rtcp-mux"));
        if (offered.RtcpReducedSize)
        {
            a.Add(new SdpAttribute("rtcp-rsize"));
        }
        a.Add(new SdpAttribute("rtpmap", new RtpMap(codec.PayloadType, codec.Name, codec.ClockRate, codec.Channels).ToString()));
        foreach (string type in feedback)
        {
            a.Add(new SdpAttribute("rtcp-fb", $"{pt} {type}"));
        }
        if (codec.Fmtp is not null)
        {
            a.Add(new SdpAttribute("fmtp", $"{pt} {codec.Fmtp}"));
        }
        if (rtx is not null)
        {
            a.Add(new SdpAttribute("rtpmap", new RtpMap(rtx.PayloadType, Rtx, rtx.ClockRate, 1).ToString()));
            a.Add(new SdpAttribute("fmtp", $"{rtxPt} {AssociatedPayloadType}{pt}"));
        }
        bool sends = direction is MediaDirection.SendOnly or MediaDirection.SendRecv;
        if (sends && kind == MediaKind.Audio)
        {
            string stream = options.StreamId ?? "streamer";
            string track = stream + "-audio";
            a.Add(new SdpAttribute("msid", $"{stream} {track}"));
            if (options.AudioSendSsrc is uint ssrc)
            {
                a.Add(new SdpAttribute("ssrc", $"{ssrc} cname:{stream}"));
                a.Add(new SdpAttribute("ssrc", $"{ssrc} msid:{stream} {track}"));
            }
        }
        return section;
    }

    /// <summary>JSEP section 5.3.1: a rejected section keeps its media, protocol, a format and its mid, with port 0.</summary>
    private static MediaDescription Rejected(MediaDescription offered, AnswerOptions options)
    {
        var formats = offered.Formats.Count > 0 ? offered.Formats.Take(1) : ["0"];
        var section = new MediaDescription(offered.Media, 0, offered.Protocol, formats)
        {
            Connection = Connection(options),
        };
        if (offered.Mid is string mid)
        {
            section.Attributes.Add(new SdpAttribute("mid", mid));
        }
        section.Attributes.Add(new SdpAttribute("inactive"));
        return section;
    }

    private static SdpConnection Connection(AnswerOptions options) =>
        new("IN", options.Candidate.AddressFamily == AddressFamily.InterNetworkV6 ? "IP6" : "IP4", options.Candidate.Address.ToString());

    /// <summary>RFC 8839 section 5.1 host candidate; priority 2130706431 is type preference 126, local 65535, component 1.</summary>
    private static string Candidate(AnswerOptions options) =>
        $"1 1 udp 2130706431 {options.Candidate.Address} {options.Candidate.Port} typ host";

    private static void CollectCodecNames(MediaDescription offered, List<string> names)
    {
        foreach (var map in offered.RtpMaps)
        {
            string name = map.EncodingName;
            if (string.Equals(name, "H264", StringComparison.OrdinalIgnoreCase))
            {
                string? fmtp = offered.GetFmtp(map.PayloadType);
                name += IsPacketizationMode1(fmtp) ? " (packetization-mode=1)" : " (packetization-mode=0)";
            }
            if (!names.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                names.Add(name);
            }
        }
    }

    /// <summary>JSEP section 5.2.1: a 64-bit random value with the top bit clear, so it fits a signed 64-bit integer.</summary>
    private static ulong RandomSessionId() =>
        BinaryPrimitives.ReadUInt64BigEndian(RandomNumberGenerator.GetBytes(8)) & 0x7FFF_FFFF_FFFF_FFFF;
}
