using System.Text.Json.Serialization;
using Streamer.Media.Rtsp;
using Streamer.Media.WebRtc;

namespace Streamer.Server.Sessions;

/// <summary>
/// What the server received from the source and what it did about loss. A WebRTC peer fills
/// every field; an RTSP camera only those its client counts, the others are left out.
/// </summary>
public sealed record ReceiveStatsDto(
    long PacketsReceived,
    long BytesReceived,
    double BitrateKbps,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? PacketsLost = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? NacksSent = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? RetransmissionsReceived = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? RetransmissionsRecovered = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? FramesDropped = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? KeyframeRequestsSent = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? JitterMs = null)
{
    /// <param name="kbps">Everything the peer's socket received (video, audio, retransmissions, probes, RTCP) over the last seconds.</param>
    public static ReceiveStatsDto From(WebRtcPeerStats stats, double kbps) => new(
        stats.RtpPackets, stats.Bytes, kbps, stats.VideoPacketsLost, stats.NacksSent, stats.RetransmissionsReceived,
        stats.RetransmissionsRecovered, stats.JitterFramesDropped, stats.KeyframeRequestsSent, stats.VideoJitterMs);

    /// <param name="kbps">The video track's received bitrate over the last seconds.</param>
    public static ReceiveStatsDto From(RtspSourceStats stats, double kbps) => new(
        stats.Packets, stats.Bytes, kbps, FramesDropped: stats.FramesDropped);
}
