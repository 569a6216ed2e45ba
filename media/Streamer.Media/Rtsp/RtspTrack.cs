using Streamer.Media.Sdp;

namespace Streamer.Media.Rtsp;

/// <summary>One media section of the DESCRIBE reply, with the URL that controls it and, after SETUP, how it travels.</summary>
public sealed class RtspTrack
{
    internal RtspTrack(int index, MediaDescription media, string controlUrl, int payloadType, string encodingName, int clockRate, string? formatParameters)
    {
        Index = index;
        Media = media;
        ControlUrl = controlUrl;
        PayloadType = payloadType;
        EncodingName = encodingName;
        ClockRate = clockRate;
        FormatParameters = formatParameters;
    }

    public int Index { get; }

    public MediaDescription Media { get; }

    public string ControlUrl { get; }

    public int PayloadType { get; }

    /// <summary>"H264", "H265", "JPEG", "MP4V-ES", ... as the rtpmap (or the static payload type) names it.</summary>
    public string EncodingName { get; }

    public int ClockRate { get; }

    /// <summary>The a=fmtp parameters of the payload type, e.g. "packetization-mode=1;sprop-parameter-sets=...".</summary>
    public string? FormatParameters { get; }

    public bool IsVideo => Media.Kind == MediaKind.Video;

    /// <summary>The transport the server confirmed in SETUP; null before.</summary>
    public RtspTransport? Transport { get; internal set; }

    /// <summary>The SSRC the stream uses: from the SETUP reply or the first RTP packet.</summary>
    public uint? Ssrc { get; internal set; }

    public override string ToString() => $"{Media.Media} {EncodingName}/{ClockRate} ({ControlUrl})";
}
