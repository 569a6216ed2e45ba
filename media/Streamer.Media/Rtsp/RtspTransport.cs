using System.Globalization;
using System.Text;

namespace Streamer.Media.Rtsp;

/// <summary>
/// The Transport header (RFC 2326 section 12.39), the parts a unicast client uses:
/// <code>
/// RTP/AVP/TCP;unicast;interleaved=0-1
/// RTP/AVP;unicast;client_port=50000-50001;server_port=6970-6971;ssrc=1A2B3C4D
/// </code>
/// </summary>
public sealed record RtspTransport
{
    public RtspTransportProtocol Protocol { get; init; }

    /// <summary>RTP and RTCP channels on the RTSP connection (TCP).</summary>
    public (int Rtp, int Rtcp)? Interleaved { get; init; }

    public (int Rtp, int Rtcp)? ClientPorts { get; init; }

    public (int Rtp, int Rtcp)? ServerPorts { get; init; }

    /// <summary>The SSRC the server will send with, when it says.</summary>
    public uint? Ssrc { get; init; }

    public static RtspTransport ForTcp(int rtpChannel) =>
        new() { Protocol = RtspTransportProtocol.Tcp, Interleaved = (rtpChannel, rtpChannel + 1) };

    public static RtspTransport ForUdp(int rtpPort, int rtcpPort) =>
        new() { Protocol = RtspTransportProtocol.Udp, ClientPorts = (rtpPort, rtcpPort) };

    public override string ToString()
    {
        var text = new StringBuilder(Protocol == RtspTransportProtocol.Tcp ? "RTP/AVP/TCP;unicast" : "RTP/AVP;unicast");
        Append(text, "interleaved", Interleaved);
        Append(text, "client_port", ClientPorts);
        Append(text, "server_port", ServerPorts);
        if (Ssrc is uint ssrc)
        {
            text.Append(";ssrc=").Append(ssrc.ToString("X8", CultureInfo.InvariantCulture));
        }
        return text.ToString();
    }

    /// <summary>Parses the first transport of a (possibly comma-separated) Transport header.</summary>
    public static bool TryParse(string? value, out RtspTransport? transport, out ParseError error)
    {
        transport = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            error = ParseError.TooShort;
            return false;
        }
        var first = value.Split(',')[0];
        var parts = first.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            error = ParseError.TooShort;
            return false;
        }

        RtspTransportProtocol protocol;
        switch (parts[0].ToUpperInvariant())
        {
            case "RTP/AVP" or "RTP/AVP/UDP":
                protocol = RtspTransportProtocol.Udp;
                break;
            case "RTP/AVP/TCP":
                protocol = RtspTransportProtocol.Tcp;
                break;
            default:
                error = ParseError.Unsupported;
                return false;
        }

        var result = new RtspTransport { Protocol = protocol };
        for (var i = 1; i < parts.Length; i++)
        {
            var equals = parts[i].IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                continue;
            }
            var name = parts[i][..equals].Trim().ToLowerInvariant();
            var parameter = parts[i][(equals + 1)..].Trim();
            switch (name)
            {
                case "interleaved" or "client_port" or "server_port":
                    if (!TryParseRange(parameter, name == "interleaved" ? 255 : 65535, out var range))
                    {
                        error = ParseError.BadAttribute;
                        return false;
                    }
                    result = name switch
                    {
                        "interleaved" => result with { Interleaved = range },
                        "client_port" => result with { ClientPorts = range },
                        _ => result with { ServerPorts = range },
                    };
                    break;
                case "ssrc":
                    if (!uint.TryParse(parameter, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var ssrc))
                    {
                        error = ParseError.BadAttribute;
                        return false;
                    }
                    result = result with { Ssrc = ssrc };
                    break;
            }
        }
        transport = result;
        error = ParseError.None;
        return true;
    }

    // "0-1", or a single "6970" meaning the pair starting there.
    private static bool TryParseRange(string text, int max, out (int, int) range)
    {
        range = default;
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        var firstText = dash < 0 ? text : text[..dash];
        if (!int.TryParse(firstText, NumberStyles.None, CultureInfo.InvariantCulture, out var first) || first > max)
        {
            return false;
        }
        var second = first + 1;
        if (dash >= 0 && (!int.TryParse(text.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out second) || second > max))
        {
            return false;
        }
        range = (first, second);
        return true;
    }

    private static void Append(StringBuilder text, string name, (int Rtp, int Rtcp)? range)
    {
        if (range is { } r)
        {
            text.Append(';').Append(name).Append('=').Append(r.Rtp).Append('-').Append(r.Rtcp);
        }
    }
}
