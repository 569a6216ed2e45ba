using Streamer.Media.Sdp;

namespace Streamer.Media.Rtsp;

/// <summary>What DESCRIBE returned: the SDP, the base for control URLs, and the tracks.</summary>
public sealed class RtspDescription
{
    // RFC 3551 table 5: static video payload types a camera may use without an rtpmap.
    private static readonly Dictionary<int, (string Name, int ClockRate)> StaticPayloadTypes = new()
    {
        [26] = ("JPEG", 90000),
        [31] = ("H261", 90000),
        [32] = ("MPV", 90000),
        [34] = ("H263", 90000),
    };

    private RtspDescription(SessionDescription sdp, string baseUrl, string aggregateControlUrl, IReadOnlyList<RtspTrack> tracks)
    {
        Sdp = sdp;
        BaseUrl = baseUrl;
        AggregateControlUrl = aggregateControlUrl;
        Tracks = tracks;
    }

    public SessionDescription Sdp { get; }

    /// <summary>Content-Base, else Content-Location, else the DESCRIBE URL.</summary>
    public string BaseUrl { get; }

    /// <summary>The URL for PLAY, TEARDOWN and keep-alives (the session-level a=control).</summary>
    public string AggregateControlUrl { get; }

    public IReadOnlyList<RtspTrack> Tracks { get; }

    /// <summary>The first video track, or null.</summary>
    public RtspTrack? Video => Tracks.FirstOrDefault(t => t.IsVideo);

    /// <summary>Builds the description from a DESCRIBE reply. Never throws; the error says what is wrong.</summary>
    public static bool TryCreate(string sdpText, string baseUrl, out RtspDescription? description, out string error)
    {
        description = null;
        if (!SessionDescription.TryParse(sdpText, out var sdp, out var sdpError))
        {
            error = "the DESCRIBE reply is not valid SDP: " + sdpError;
            return false;
        }

        var aggregate = RtspUrl.ResolveControl(baseUrl, sdp!.GetAttribute("control"));
        var tracks = new List<RtspTrack>();
        foreach (var media in sdp.Media)
        {
            var types = media.PayloadTypes;
            if (types.Count == 0)
            {
                continue;
            }
            var payloadType = types[0];
            string name;
            int clockRate;
            if (media.GetRtpMap(payloadType) is { } map)
            {
                (name, clockRate) = (map.EncodingName, map.ClockRate);
            }
            else if (StaticPayloadTypes.TryGetValue(payloadType, out var known))
            {
                (name, clockRate) = known;
            }
            else
            {
                (name, clockRate) = ($"payload type {payloadType}", 90000);
            }
            var control = RtspUrl.ResolveControl(baseUrl, media.GetAttribute("control"));
            tracks.Add(new RtspTrack(tracks.Count, media, control, payloadType, name, clockRate, media.GetFmtp(payloadType)));
        }
        if (tracks.Count == 0)
        {
            error = "the SDP describes no RTP media";
            return false;
        }

        description = new RtspDescription(sdp, baseUrl, aggregate, tracks);
        error = "";
        return true;
    }
}
