namespace Streamer.Media.Rtsp;

/// <summary>
/// An rtsp:// URL split into the address sent on the wire (no userinfo) and the credentials
/// taken from its userinfo, so neither the password nor the user name ends up in a request
/// line, a log or an exception.
/// </summary>
public sealed class RtspUrl
{
    public const int DefaultPort = 554;

    private RtspUrl(Uri address, RtspCredentials? credentials)
    {
        Address = address;
        Credentials = credentials;
    }

    /// <summary>The URL without userinfo, as requests carry it.</summary>
    public Uri Address { get; }

    /// <summary>Credentials from the URL's userinfo, if it had any.</summary>
    public RtspCredentials? Credentials { get; }

    public string Host => Address.Host;

    public int Port => Address.IsDefaultPort || Address.Port < 0 ? DefaultPort : Address.Port;

    /// <summary>The URL safe to show: no userinfo at all.</summary>
    public string Redacted => Address.GetComponents(UriComponents.AbsoluteUri, UriFormat.UriEscaped);

    public override string ToString() => Redacted;

    /// <summary>Parses rtsp://[user[:password]@]host[:port]/path. Never throws.</summary>
    public static bool TryParse(string? text, out RtspUrl? url, out string error)
    {
        url = null;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri)
            || !(uri.Scheme.Equals("rtsp", StringComparison.OrdinalIgnoreCase)
                 || uri.Scheme.Equals("rtsps", StringComparison.OrdinalIgnoreCase)))
        {
            // The text itself may hold a password: describe it without repeating it.
            error = "not an rtsp:// URL";
            return false;
        }
        if (uri.Scheme.Equals("rtsps", StringComparison.OrdinalIgnoreCase))
        {
            error = "rtsps:// (RTSP over TLS) is not supported";
            return false;
        }
        if (string.IsNullOrEmpty(uri.Host))
        {
            error = "the rtsp:// URL has no host";
            return false;
        }

        RtspCredentials? credentials = null;
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            var user = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            var password = colon < 0 ? "" : Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            credentials = new RtspCredentials(user, password);
        }
        var builder = new UriBuilder(uri) { UserName = "", Password = "" };
        url = new RtspUrl(builder.Uri, credentials);
        error = "";
        return true;
    }

    /// <summary>Removes userinfo from any URL text (a redirect Location, a Content-Base) before it is shown.</summary>
    public static string Redact(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0
            ? new UriBuilder(uri) { UserName = "", Password = "" }.Uri.ToString()
            : text;

    /// <summary>
    /// The URL a media control attribute names (RFC 2326 section C.1.1): absolute as it is,
    /// "*" or empty meaning the base itself, otherwise relative to the base, which gets a
    /// trailing slash first so "stream=0" under rtsp://cam/live becomes rtsp://cam/live/stream=0.
    /// </summary>
    public static string ResolveControl(string baseUrl, string? control)
    {
        if (string.IsNullOrEmpty(control) || control == "*")
        {
            return baseUrl;
        }
        if (control.StartsWith("rtsp://", StringComparison.OrdinalIgnoreCase) || control.StartsWith("rtsps://", StringComparison.OrdinalIgnoreCase))
        {
            return control;
        }
        if (control.StartsWith('/') && Uri.TryCreate(baseUrl, UriKind.Absolute, out var root))
        {
            return root.GetLeftPart(UriPartial.Authority) + control;
        }
        return baseUrl.EndsWith('/') ? baseUrl + control : baseUrl + "/" + control;
    }
}
