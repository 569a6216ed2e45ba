namespace Streamer.Media.Interceptors;

/// <summary>
/// What was negotiated for one RTP stream: its SSRC and codec, the rtcp-fb values (as in SDP:
/// "nack", "nack pli", "ccm fir", "transport-cc", "goog-remb") and header extension ids by URI.
/// </summary>
public sealed record StreamInfo
{
    public required uint Ssrc { get; init; }
    public required uint ClockRate { get; init; }
    public byte PayloadType { get; init; }
    public string MimeType { get; init; } = string.Empty;
    public IReadOnlyList<string> RtcpFeedback { get; init; } = [];
    public IReadOnlyDictionary<string, int> HeaderExtensions { get; init; } = new Dictionary<string, int>();

    /// <summary>True when the exact feedback value (type and optional parameter) was negotiated.</summary>
    public bool HasFeedback(string value)
    {
        foreach (var fb in RtcpFeedback)
        {
            if (string.Equals(fb.Trim(), value, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    public bool TryGetExtensionId(string uri, out int id) => HeaderExtensions.TryGetValue(uri, out id);
}
