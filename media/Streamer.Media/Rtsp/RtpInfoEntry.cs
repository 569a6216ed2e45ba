using System.Globalization;

namespace Streamer.Media.Rtsp;

/// <summary>
/// One stream of the RTP-Info header of a PLAY reply (RFC 2326 section 12.33):
/// <c>RTP-Info: url=rtsp://cam/stream=0;seq=1234;rtptime=567890, url=...</c>.
/// </summary>
public sealed record RtpInfoEntry(string Url, ushort? Sequence, uint? RtpTime)
{
    /// <summary>Parses every entry; entries without url are skipped, bad numbers fail the header.</summary>
    public static bool TryParse(string? value, out IReadOnlyList<RtpInfoEntry> entries, out ParseError error)
    {
        var list = new List<RtpInfoEntry>();
        entries = list;
        if (string.IsNullOrWhiteSpace(value))
        {
            error = ParseError.TooShort;
            return false;
        }
        // A URL may itself hold ';' or ',' only in theory; cameras do not, so split plainly.
        foreach (var entry in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            string? url = null;
            ushort? sequence = null;
            uint? rtpTime = null;
            foreach (var part in entry.Split(';', StringSplitOptions.TrimEntries))
            {
                var equals = part.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    continue;
                }
                var name = part[..equals];
                var text = part[(equals + 1)..];
                if (name.Equals("url", StringComparison.OrdinalIgnoreCase))
                {
                    url = text;
                }
                else if (name.Equals("seq", StringComparison.OrdinalIgnoreCase))
                {
                    if (!ushort.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var s))
                    {
                        error = ParseError.BadAttribute;
                        return false;
                    }
                    sequence = s;
                }
                else if (name.Equals("rtptime", StringComparison.OrdinalIgnoreCase))
                {
                    if (!uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var t))
                    {
                        error = ParseError.BadAttribute;
                        return false;
                    }
                    rtpTime = t;
                }
            }
            if (url is not null)
            {
                list.Add(new RtpInfoEntry(url, sequence, rtpTime));
            }
        }
        error = ParseError.None;
        return true;
    }
}
