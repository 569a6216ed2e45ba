using System.Globalization;

namespace Streamer.Media.Rtsp;

/// <summary>
/// The Session header (RFC 2326 section 12.37): <c>Session: 47112344;timeout=60</c>. The timeout
/// is 60 s when the server does not say.
/// </summary>
public sealed record RtspSessionHeader(string Id, TimeSpan Timeout)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    public static bool TryParse(string? value, out RtspSessionHeader? session, out ParseError error)
    {
        session = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            error = ParseError.TooShort;
            return false;
        }
        var parts = value.Split(';', StringSplitOptions.TrimEntries);
        if (parts[0].Length == 0 || parts[0].Any(char.IsWhiteSpace))
        {
            error = ParseError.Malformed;
            return false;
        }
        var timeout = DefaultTimeout;
        foreach (var part in parts.Skip(1))
        {
            if (part.StartsWith("timeout=", StringComparison.OrdinalIgnoreCase))
            {
                if (!int.TryParse(part.AsSpan("timeout=".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds == 0)
                {
                    error = ParseError.BadAttribute;
                    return false;
                }
                timeout = TimeSpan.FromSeconds(seconds);
            }
        }
        session = new RtspSessionHeader(parts[0], timeout);
        error = ParseError.None;
        return true;
    }
}
