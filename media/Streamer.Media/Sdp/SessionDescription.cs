using System.Text;

namespace Streamer.Media.Sdp;

/// <summary>
/// An SDP session description (RFC 8866) as WebRTC uses it (RFC 8829):
/// <code>
/// v=0
/// o=- 4611731400430051336 2 IN IP4 127.0.0.1
/// s=-
/// t=0 0
/// a=group:BUNDLE 0 1
/// m=video 9 UDP/TLS/RTP/SAVPF 96 97
/// c=IN IP4 0.0.0.0
/// a=mid:0
/// ...
/// </code>
/// Parsing accepts LF or CRLF; <see cref="ToString"/> writes CRLF.
/// </summary>
public sealed class SessionDescription
{
    public SessionDescription(SdpOrigin origin, string sessionName = "-")
    {
        Origin = origin;
        SessionName = sessionName;
    }

    public int Version { get; set; }

    public SdpOrigin Origin { get; set; }

    public string SessionName { get; set; }

    public SdpConnection? Connection { get; set; }

    /// <summary>The t= lines; written as <c>t=0 0</c> when empty.</summary>
    public List<SdpTiming> Timings { get; } = [];

    /// <summary>i=, u=, e=, p=, b=, r=, z= and k= lines, as they came.</summary>
    public List<SdpLine> OtherLines { get; } = [];

    public List<SdpAttribute> Attributes { get; } = [];

    public List<MediaDescription> Media { get; } = [];

    public SdpTiming Timing => Timings.Count > 0 ? Timings[0] : new SdpTiming(0, 0);

    public bool IceLite => HasAttribute("ice-lite");

    /// <summary>The mids of the first <c>a=group:BUNDLE</c>, empty when there is none.</summary>
    public IReadOnlyList<string> BundleMids
    {
        get
        {
            foreach (string group in GetAttributes("group"))
            {
                string[] parts = group.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length > 0 && parts[0] == "BUNDLE")
                {
                    return parts[1..];
                }
            }
            return [];
        }
    }

    public bool HasAttribute(string name) => SdpAttributeList.Has(Attributes, name);

    /// <summary>The value of the first session-level attribute with this name; null when absent or valueless.</summary>
    public string? GetAttribute(string name) => SdpAttributeList.First(Attributes, name);

    public IReadOnlyList<string> GetAttributes(string name) => SdpAttributeList.All(Attributes, name);

    /// <summary>A media-level attribute value, else the session-level one (media level wins).</summary>
    public string? GetAttribute(MediaDescription media, string name) => media.GetAttribute(name) ?? GetAttribute(name);

    public string? GetIceUfrag(MediaDescription media) => GetAttribute(media, "ice-ufrag");

    public string? GetIcePwd(MediaDescription media) => GetAttribute(media, "ice-pwd");

    public string? GetSetup(MediaDescription media) => GetAttribute(media, "setup");

    public SdpFingerprint? GetFingerprint(MediaDescription media)
    {
        string? value = GetAttribute(media, "fingerprint");
        return value is not null && SdpFingerprint.TryParse(value, out var fingerprint) ? fingerprint : null;
    }

    /// <summary>The section's direction, else the session's, else sendrecv (RFC 8866 section 6.7).</summary>
    public MediaDirection GetDirection(MediaDescription media) =>
        media.Direction ?? SdpAttributeList.Direction(Attributes) ?? MediaDirection.SendRecv;

    /// <summary>Parses SDP text. Never throws: malformed input returns false and says which line and why.</summary>
    public static bool TryParse(string? text, out SessionDescription? description, out string error) =>
        SdpParser.TryParse(text, out description, out error);

    /// <summary>The description as SDP text with CRLF line ends, lines in the order RFC 8866 prescribes.</summary>
    public override string ToString()
    {
        var sdp = new StringBuilder();
        Line(sdp, 'v', Version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Line(sdp, 'o', Origin.ToString());
        Line(sdp, 's', SessionName);
        Other(sdp, OtherLines, "iuep");
        if (Connection is not null)
        {
            Line(sdp, 'c', Connection.ToString());
        }
        Other(sdp, OtherLines, "b");
        if (Timings.Count == 0)
        {
            Line(sdp, 't', "0 0");
        }
        foreach (var timing in Timings)
        {
            Line(sdp, 't', timing.ToString());
        }
        Other(sdp, OtherLines, "rzk");
        foreach (var attribute in Attributes)
        {
            Line(sdp, 'a', attribute.ToString());
        }
        foreach (var media in Media)
        {
            string port = media.PortCount is int count ? $"{media.Port}/{count}" : $"{media.Port}";
            Line(sdp, 'm', $"{media.Media} {port} {media.Protocol} {string.Join(' ', media.Formats)}");
            Other(sdp, media.OtherLines, "i");
            if (media.Connection is not null)
            {
                Line(sdp, 'c', media.Connection.ToString());
            }
            Other(sdp, media.OtherLines, "bk");
            foreach (var attribute in media.Attributes)
            {
                Line(sdp, 'a', attribute.ToString());
            }
        }
        return sdp.ToString();
    }

    private static void Line(StringBuilder sdp, char type, string value) =>
        sdp.Append(type).Append('=').Append(value).Append("\r\n");

    private static void Other(StringBuilder sdp, List<SdpLine> lines, string types)
    {
        foreach (var line in lines)
        {
            if (types.Contains(line.Type, StringComparison.Ordinal))
            {
                Line(sdp, line.Type, line.Value);
            }
        }
    }
}
