using System.Globalization;

namespace Streamer.Media.Sdp;

/// <summary>
/// Line-by-line SDP parser. Strict about what WebRTC relies on (v=, o=, s= first and in that
/// order, well-formed m= and c= lines, attributes with a name), tolerant about line ends and
/// blank lines. Type letters RFC 8866 does not define make the whole description invalid, as
/// section 5 asks.
/// </summary>
internal static class SdpParser
{
    private const int MaxQuotedLength = 60;

    public static bool TryParse(string? text, out SessionDescription? description, out string error)
    {
        description = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "empty SDP";
            return false;
        }

        string[] lines = text.Split('\n');
        SessionDescription? session = null;
        int version = -1;
        MediaDescription? media = null;
        int seen = 0;
        for (int index = 0; index < lines.Length; index++)
        {
            string line = lines[index].TrimEnd('\r');
            int number = index + 1;
            if (line.Trim().Length == 0)
            {
                continue;
            }
            if (line.Length < 2 || line[1] != '=' || !char.IsAsciiLetterLower(line[0]))
            {
                error = $"line {number} is not <type>=<value>: '{Quote(line)}'";
                return false;
            }
            char type = line[0];
            string value = line[2..];
            seen++;

            // RFC 8866 section 5: v=, o=, s= open every description, in that order.
            if (seen == 1)
            {
                if (type != 'v')
                {
                    error = $"missing v= line: line {number} is '{Quote(line)}'";
                    return false;
                }
                if (value.Trim() != "0")
                {
                    error = $"unsupported SDP version '{Quote(value)}' (only v=0 exists)";
                    return false;
                }
                version = 0;
                continue;
            }
            if (seen == 2)
            {
                if (type != 'o')
                {
                    error = $"missing o= line: expected o= after v= but line {number} is '{Quote(line)}'";
                    return false;
                }
                if (!TryParseOrigin(value, out var origin))
                {
                    error = $"o= line malformed (needs <username> <sess-id> <sess-version> <nettype> <addrtype> <address>): '{Quote(line)}'";
                    return false;
                }
                session = new SessionDescription(origin!) { Version = version };
                continue;
            }
            if (seen == 3)
            {
                if (type != 's')
                {
                    error = $"missing s= line: expected s= after o= but line {number} is '{Quote(line)}'";
                    return false;
                }
                session!.SessionName = value;
                continue;
            }

            switch (type)
            {
                case 'v' or 'o' or 's':
                    error = $"line {number}: unexpected second {type}= line";
                    return false;
                case 'm':
                    if (!TryParseMedia(value, out media))
                    {
                        error = $"m= line malformed (needs <media> <port> <proto> <fmt> ...): line {number} '{Quote(line)}'";
                        return false;
                    }
                    session!.Media.Add(media!);
                    break;
                case 'a':
                    if (!TryParseAttribute(value, out var attribute))
                    {
                        error = $"a= line malformed (no attribute name): line {number} '{Quote(line)}'";
                        return false;
                    }
                    (media?.Attributes ?? session!.Attributes).Add(attribute);
                    break;
                case 'c':
                    if (!TryParseConnection(value, out var connection))
                    {
                        error = $"c= line malformed (needs <nettype> <addrtype> <address>): line {number} '{Quote(line)}'";
                        return false;
                    }
                    if (media is null)
                    {
                        session!.Connection = connection;
                    }
                    else
                    {
                        media.Connection = connection;
                    }
                    break;
                case 't':
                    if (media is not null)
                    {
                        error = $"line {number}: t= line inside a media section";
                        return false;
                    }
                    if (!TryParseTiming(value, out var timing))
                    {
                        error = $"t= line malformed (needs <start> <stop>): line {number} '{Quote(line)}'";
                        return false;
                    }
                    session!.Timings.Add(timing!);
                    break;
                case 'i' or 'b' or 'k':
                    (media?.OtherLines ?? session!.OtherLines).Add(new SdpLine(type, value));
                    break;
                case 'u' or 'e' or 'p' or 'r' or 'z':
                    if (media is not null)
                    {
                        error = $"line {number}: {type}= line is only allowed at session level";
                        return false;
                    }
                    session!.OtherLines.Add(new SdpLine(type, value));
                    break;
                default:
                    error = $"line {number}: unknown line type '{type}='";
                    return false;
            }
        }

        if (session is null || seen < 3)
        {
            error = seen switch
            {
                1 => "missing o= line",
                _ => "missing s= line",
            };
            return false;
        }
        description = session;
        error = "";
        return true;
    }

    private static bool TryParseOrigin(string value, out SdpOrigin? origin)
    {
        origin = null;
        string[] parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 6 || !ulong.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out ulong sessionVersion))
        {
            return false;
        }
        origin = new SdpOrigin(parts[0], parts[1], sessionVersion, parts[3], parts[4], parts[5]);
        return true;
    }

    private static bool TryParseMedia(string value, out MediaDescription? media)
    {
        media = null;
        string[] parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 4 || !IsToken(parts[0]) || !Array.TrueForAll(parts[2].Split('/'), IsToken))
        {
            return false;
        }
        string portText = parts[1];
        int? portCount = null;
        int slash = portText.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            if (!int.TryParse(portText.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int count) || count <= 0)
            {
                return false;
            }
            portCount = count;
            portText = portText[..slash];
        }
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > 65535)
        {
            return false;
        }
        media = new MediaDescription(parts[0], port, parts[2], parts[3..]) { PortCount = portCount };
        return true;
    }

    private static bool TryParseAttribute(string value, out SdpAttribute attribute)
    {
        int colon = value.IndexOf(':', StringComparison.Ordinal);
        string name = colon < 0 ? value : value[..colon];
        attribute = colon < 0 ? new SdpAttribute(name) : new SdpAttribute(name, value[(colon + 1)..]);
        return IsToken(name);
    }

    private static bool TryParseConnection(string value, out SdpConnection? connection)
    {
        connection = null;
        string[] parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 3)
        {
            return false;
        }
        connection = new SdpConnection(parts[0], parts[1], parts[2]);
        return true;
    }

    private static bool TryParseTiming(string value, out SdpTiming? timing)
    {
        timing = null;
        string[] parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2
            || !ulong.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out ulong start)
            || !ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out ulong stop))
        {
            return false;
        }
        timing = new SdpTiming(start, stop);
        return true;
    }

    /// <summary>RFC 8866's token: visible ASCII except the separators SDP uses.</summary>
    private static bool IsToken(string text)
    {
        if (text.Length == 0)
        {
            return false;
        }
        foreach (char c in text)
        {
            if (c <= ' ' || c >= 0x7F || c is '"' or '(' or ')' or ',' or '/' or ':' or ';' or '<' or '=' or '>' or '?' or '@' or '[' or '\\' or ']')
            {
                return false;
            }
        }
        return true;
    }

    private static string Quote(string text) =>
        text.Length <= MaxQuotedLength ? text : text[..MaxQuotedLength] + "...";
}
