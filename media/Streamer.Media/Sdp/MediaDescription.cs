namespace Streamer.Media.Sdp;

/// <summary>
/// One media section: the "m=" line (<c>m=&lt;media&gt; &lt;port&gt;[/&lt;count&gt;] &lt;proto&gt; &lt;fmt&gt; ...</c>)
/// and the lines under it, attributes kept in their order.
/// </summary>
public sealed class MediaDescription
{
    public MediaDescription(string media, int port, string protocol, IEnumerable<string> formats)
    {
        Media = media;
        Port = port;
        Protocol = protocol;
        Formats = [.. formats];
    }

    /// <summary>"audio", "video", "application", ...</summary>
    public string Media { get; set; }

    /// <summary>0 rejects the section (RFC 8866 section 5.14, JSEP 5.3.1).</summary>
    public int Port { get; set; }

    public int? PortCount { get; set; }

    /// <summary>"UDP/TLS/RTP/SAVPF" for WebRTC media.</summary>
    public string Protocol { get; set; }

    /// <summary>Payload types for RTP sections, in the offerer's order of preference.</summary>
    public List<string> Formats { get; }

    public SdpConnection? Connection { get; set; }

    /// <summary>i=, b= and k= lines, as they came.</summary>
    public List<SdpLine> OtherLines { get; } = [];

    public List<SdpAttribute> Attributes { get; } = [];

    public MediaKind? Kind => Media switch
    {
        "audio" => MediaKind.Audio,
        "video" => MediaKind.Video,
        _ => null,
    };

    public string? Mid => GetAttribute("mid");

    /// <summary>The section's own direction attribute, or null when it has none (the session's then applies).</summary>
    public MediaDirection? Direction => SdpAttributeList.Direction(Attributes);

    public bool RtcpMux => HasAttribute("rtcp-mux");

    public bool RtcpReducedSize => HasAttribute("rtcp-rsize");

    /// <summary>The numeric formats, in order; non-numeric ones (data channels) are skipped.</summary>
    public IReadOnlyList<int> PayloadTypes
    {
        get
        {
            var types = new List<int>(Formats.Count);
            foreach (string format in Formats)
            {
                if (int.TryParse(format, out int payloadType) && payloadType is >= 0 and <= 127)
                {
                    types.Add(payloadType);
                }
            }
            return types;
        }
    }

    public IReadOnlyList<RtpMap> RtpMaps
    {
        get
        {
            var maps = new List<RtpMap>();
            foreach (string value in GetAttributes("rtpmap"))
            {
                if (RtpMap.TryParse(value, out var map))
                {
                    maps.Add(map!);
                }
            }
            return maps;
        }
    }

    public IReadOnlyList<ExtMap> ExtMaps
    {
        get
        {
            var maps = new List<ExtMap>();
            foreach (string value in GetAttributes("extmap"))
            {
                if (ExtMap.TryParse(value, out var map))
                {
                    maps.Add(map!);
                }
            }
            return maps;
        }
    }

    /// <summary>Every SSRC named by an a=ssrc line, once each, in order of first appearance.</summary>
    public IReadOnlyList<uint> Ssrcs
    {
        get
        {
            var ssrcs = new List<uint>();
            foreach (string value in GetAttributes("ssrc"))
            {
                int space = value.IndexOf(' ', StringComparison.Ordinal);
                var number = space < 0 ? value.AsSpan() : value.AsSpan(0, space);
                if (uint.TryParse(number, out uint ssrc) && !ssrcs.Contains(ssrc))
                {
                    ssrcs.Add(ssrc);
                }
            }
            return ssrcs;
        }
    }

    public IReadOnlyList<SsrcGroup> SsrcGroups
    {
        get
        {
            var groups = new List<SsrcGroup>();
            foreach (string value in GetAttributes("ssrc-group"))
            {
                if (SsrcGroup.TryParse(value, out var group))
                {
                    groups.Add(group!);
                }
            }
            return groups;
        }
    }

    public bool HasAttribute(string name) => SdpAttributeList.Has(Attributes, name);

    /// <summary>The value of the first attribute with this name; null when absent or valueless.</summary>
    public string? GetAttribute(string name) => SdpAttributeList.First(Attributes, name);

    /// <summary>The values of every attribute with this name, in order ("" for valueless ones).</summary>
    public IReadOnlyList<string> GetAttributes(string name) => SdpAttributeList.All(Attributes, name);

    public RtpMap? GetRtpMap(int payloadType)
    {
        foreach (var map in RtpMaps)
        {
            if (map.PayloadType == payloadType)
            {
                return map;
            }
        }
        return null;
    }

    /// <summary>The format parameters after the payload type of <c>a=fmtp:&lt;pt&gt; &lt;params&gt;</c>.</summary>
    public string? GetFmtp(int payloadType)
    {
        foreach (string value in GetAttributes("fmtp"))
        {
            if (TrySplitPayloadType(value, out int pt, out string rest) && pt == payloadType)
            {
                return rest;
            }
        }
        return null;
    }

    /// <summary>Feedback types from <c>a=rtcp-fb:&lt;pt&gt; ...</c> and <c>a=rtcp-fb:* ...</c>, e.g. "nack pli".</summary>
    public IReadOnlyList<string> GetRtcpFeedback(int payloadType)
    {
        var feedback = new List<string>();
        foreach (string value in GetAttributes("rtcp-fb"))
        {
            int space = value.IndexOf(' ', StringComparison.Ordinal);
            if (space <= 0)
            {
                continue;
            }
            var target = value.AsSpan(0, space);
            if (target.SequenceEqual("*") || (int.TryParse(target, out int pt) && pt == payloadType))
            {
                feedback.Add(value[(space + 1)..].Trim());
            }
        }
        return feedback;
    }

    internal static bool TrySplitPayloadType(string value, out int payloadType, out string rest)
    {
        int space = value.IndexOf(' ', StringComparison.Ordinal);
        rest = space < 0 ? "" : value[(space + 1)..].Trim();
        return int.TryParse(space < 0 ? value.AsSpan() : value.AsSpan(0, space), out payloadType);
    }
}
