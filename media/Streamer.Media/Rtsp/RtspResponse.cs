using System.Globalization;
using System.Text;

namespace Streamer.Media.Rtsp;

/// <summary>
/// An RTSP/1.0 response (RFC 2326 section 7):
/// <code>
/// RTSP/1.0 200 OK\r\n
/// CSeq: 2\r\n
/// Content-Type: application/sdp\r\n
/// Content-Length: 460\r\n
/// \r\n
/// [body of Content-Length bytes]
/// </code>
/// </summary>
public sealed class RtspResponse
{
    /// <summary>Longest status line plus headers accepted; a camera sending more is broken or hostile.</summary>
    public const int MaxHeaderBytes = 16 * 1024;

    /// <summary>Largest body accepted (an SDP is a few hundred bytes).</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    private const string VersionPrefix = "RTSP/";
    private const int StatusCodeLength = 3;

    private RtspResponse(int statusCode, string reason, List<RtspHeader> headers, byte[] body)
    {
        StatusCode = statusCode;
        ReasonPhrase = reason;
        Headers = headers;
        Body = body;
    }

    public int StatusCode { get; }

    public string ReasonPhrase { get; }

    public IReadOnlyList<RtspHeader> Headers { get; }

    public byte[] Body { get; }

    public bool IsSuccess => StatusCode is >= 200 and < 300;

    /// <summary>The CSeq header as a number; null when it is missing or not a number.</summary>
    public int? CSeq => int.TryParse(GetHeader("CSeq"), NumberStyles.None, CultureInfo.InvariantCulture, out var cseq) ? cseq : null;

    public string BodyText => Encoding.UTF8.GetString(Body);

    /// <summary>The first header with this name, or null.</summary>
    public string? GetHeader(string name)
    {
        foreach (var header in Headers)
        {
            if (string.Equals(header.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return header.Value;
            }
        }
        return null;
    }

    /// <summary>Every header with this name, in order.</summary>
    public IEnumerable<string> GetHeaders(string name) =>
        Headers.Where(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value);

    /// <summary>
    /// Parses one response from the start of <paramref name="data"/>. Returns false with
    /// <see cref="ParseError.TooShort"/> when the response is not complete yet (read more and
    /// try again); any other error means the stream is not RTSP and the connection is lost.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> data, out RtspResponse? response, out int consumed, out ParseError error)
    {
        response = null;
        consumed = 0;
        var headerEnd = data.IndexOf("\r\n\r\n"u8);
        var terminatorLength = 4;
        var bareEnd = data.IndexOf("\n\n"u8);
        if (bareEnd >= 0 && (headerEnd < 0 || bareEnd < headerEnd))
        {
            // Some cameras end lines with a bare LF.
            headerEnd = bareEnd;
            terminatorLength = 2;
        }

        if (headerEnd < 0)
        {
            if (!StartsLikeResponse(data))
            {
                error = ParseError.BadMagic;
                return false;
            }
            error = data.Length > MaxHeaderBytes ? ParseError.BadLength : ParseError.TooShort;
            return false;
        }
        if (headerEnd > MaxHeaderBytes)
        {
            error = ParseError.BadLength;
            return false;
        }

        var head = Encoding.Latin1.GetString(data[..headerEnd]);
        var lines = head.Split('\n');
        if (!TryParseStatusLine(lines[0].TrimEnd('\r'), out var statusCode, out var reason, out error))
        {
            return false;
        }

        var headers = new List<RtspHeader>(lines.Length);
        var contentLength = 0;
        for (var i = 1; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }
            if ((line[0] == ' ' || line[0] == '\t') && headers.Count > 0)
            {
                // Folded continuation of the previous header (RFC 2616 section 2.2).
                var last = headers[^1];
                headers[^1] = last with { Value = last.Value + " " + line.Trim() };
                continue;
            }
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                error = ParseError.BadAttribute;
                return false;
            }
            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (string.Equals(name, "Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out contentLength) || contentLength > MaxBodyBytes)
                {
                    error = ParseError.BadLength;
                    return false;
                }
            }
            headers.Add(new RtspHeader(name, value));
        }

        var bodyStart = headerEnd + terminatorLength;
        if (data.Length - bodyStart < contentLength)
        {
            error = ParseError.TooShort;
            return false;
        }

        response = new RtspResponse(statusCode, reason, headers, data.Slice(bodyStart, contentLength).ToArray());
        consumed = bodyStart + contentLength;
        error = ParseError.None;
        return true;
    }

    /// <summary>True while the bytes seen so far can still be the start of "RTSP/".</summary>
    internal static bool StartsLikeResponse(ReadOnlySpan<byte> data)
    {
        var prefix = "RTSP/"u8;
        var n = Math.Min(prefix.Length, data.Length);
        return data[..n].SequenceEqual(prefix[..n]);
    }

    private static bool TryParseStatusLine(string line, out int statusCode, out string reason, out ParseError error)
    {
        statusCode = 0;
        reason = "";
        // RTSP/1.0 SP 3DIGIT SP reason
        if (!line.StartsWith(VersionPrefix, StringComparison.Ordinal))
        {
            error = ParseError.BadMagic;
            return false;
        }
        var firstSpace = line.IndexOf(' ', StringComparison.Ordinal);
        if (firstSpace < 0 || line[VersionPrefix.Length..firstSpace] is not ("1.0" or "1.1" or "2.0"))
        {
            error = ParseError.BadVersion;
            return false;
        }
        var rest = line[(firstSpace + 1)..];
        if (rest.Length < StatusCodeLength
            || !int.TryParse(rest.AsSpan(0, StatusCodeLength), NumberStyles.None, CultureInfo.InvariantCulture, out statusCode)
            || statusCode < 100
            || (rest.Length > StatusCodeLength && rest[StatusCodeLength] != ' '))
        {
            statusCode = 0;
            error = ParseError.Malformed;
            return false;
        }
        reason = rest.Length > StatusCodeLength ? rest[(StatusCodeLength + 1)..] : "";
        error = ParseError.None;
        return true;
    }
}
