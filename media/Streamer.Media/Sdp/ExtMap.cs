namespace Streamer.Media.Sdp;

/// <summary><c>a=extmap:&lt;id&gt;[/&lt;direction&gt;] &lt;uri&gt; [&lt;attributes&gt;]</c> (RFC 8285).</summary>
public sealed record ExtMap(int Id, string? Direction, string Uri, string? Attributes)
{
    public const string AbsSendTime = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
    public const string TransportWideCc = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
    public const string SdesMid = "urn:ietf:params:rtp-hdrext:sdes:mid";
    public const string AudioLevel = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
    public const string VideoOrientation = "urn:3gpp:video-orientation";

    internal static bool TryParse(string value, out ExtMap? map)
    {
        map = null;
        string[] parts = value.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2)
        {
            return false;
        }
        string idPart = parts[0];
        string? direction = null;
        int slash = idPart.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            direction = idPart[(slash + 1)..];
            idPart = idPart[..slash];
        }
        if (!int.TryParse(idPart, out int id) || id is < 1 or > 255)
        {
            return false;
        }
        map = new ExtMap(id, direction, parts[1], parts.Length == 3 ? parts[2] : null);
        return true;
    }

    public override string ToString()
    {
        string id = Direction is null ? $"{Id}" : $"{Id}/{Direction}";
        return Attributes is null ? $"{id} {Uri}" : $"{id} {Uri} {Attributes}";
    }
}
