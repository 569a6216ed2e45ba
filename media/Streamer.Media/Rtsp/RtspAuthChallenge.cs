namespace Streamer.Media.Rtsp;

/// <summary>
/// A WWW-Authenticate challenge (RFC 7235 section 4.1, RFC 7616 section 3.3, RFC 7617):
/// <code>
/// WWW-Authenticate: Digest realm="IP Camera", nonce="9d0a...", qop="auth", algorithm=MD5, opaque="5ccc"
/// WWW-Authenticate: Basic realm="IP Camera"
/// </code>
/// </summary>
public sealed record RtspAuthChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    public bool IsDigest => Scheme.Equals("Digest", StringComparison.OrdinalIgnoreCase);

    public bool IsBasic => Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase);

    public string? Realm => Get("realm");

    public string? Nonce => Get("nonce");

    public string? Opaque => Get("opaque");

    public string? Algorithm => Get("algorithm");

    /// <summary>True when the server offers qop=auth (the only protection level this client implements).</summary>
    public bool OffersQopAuth =>
        Get("qop") is { } qop && qop.Split(',', StringSplitOptions.TrimEntries).Contains("auth", StringComparer.OrdinalIgnoreCase);

    public string? Get(string name) => Parameters.TryGetValue(name, out var value) ? value : null;

    /// <summary>Parses one challenge (one header value). Never throws.</summary>
    public static bool TryParse(string? value, out RtspAuthChallenge? challenge, out ParseError error)
    {
        challenge = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            error = ParseError.TooShort;
            return false;
        }
        var text = value.Trim();
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        var scheme = space < 0 ? text : text[..space];
        if (scheme.Length == 0 || !scheme.All(char.IsAsciiLetterOrDigit))
        {
            error = ParseError.Malformed;
            return false;
        }

        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var position = space < 0 ? text.Length : space + 1;
        while (position < text.Length)
        {
            while (position < text.Length && (text[position] == ' ' || text[position] == ','))
            {
                position++;
            }
            if (position >= text.Length)
            {
                break;
            }
            var equals = text.IndexOf('=', position);
            if (equals < 0)
            {
                // A token68 (Basic may carry one); nothing this client needs.
                break;
            }
            var name = text[position..equals].Trim();
            position = equals + 1;
            string parameter;
            if (position < text.Length && text[position] == '"')
            {
                var close = position + 1;
                var builder = new System.Text.StringBuilder();
                while (close < text.Length && text[close] != '"')
                {
                    if (text[close] == '\\' && close + 1 < text.Length)
                    {
                        close++;
                    }
                    builder.Append(text[close]);
                    close++;
                }
                if (close >= text.Length)
                {
                    error = ParseError.Malformed;
                    return false;
                }
                parameter = builder.ToString();
                position = close + 1;
            }
            else
            {
                var comma = text.IndexOf(',', position);
                var end = comma < 0 ? text.Length : comma;
                parameter = text[position..end].Trim();
                position = end;
            }
            if (name.Length > 0)
            {
                parameters[name] = parameter;
            }
        }

        challenge = new RtspAuthChallenge(scheme, parameters);
        error = ParseError.None;
        return true;
    }
}
