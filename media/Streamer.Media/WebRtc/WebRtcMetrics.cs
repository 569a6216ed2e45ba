using System.Diagnostics.Metrics;

namespace Streamer.Media.WebRtc;

/// <summary>Process-wide WebRTC instruments (meter <c>Streamer.Media</c>).</summary>
public static class WebRtcMetrics
{
    public static readonly Meter Meter = new("Streamer.Media");

    public static readonly Counter<long> PacketsRejected =
        Meter.CreateCounter<long>("streamer_packets_rejected", description: "Datagrams rejected, by protocol and reason");

    public static readonly Counter<long> PacketsReceived =
        Meter.CreateCounter<long>("streamer_packets_received", description: "Datagrams accepted, by protocol");

    public static readonly Counter<long> Retransmissions =
        Meter.CreateCounter<long>("streamer_rtx_packets", description: "RTX packets received, by outcome: recovered (filled a gap), duplicate (arrived anyway or too late), padding (bandwidth probe)");

    public static readonly Counter<long> KeyframeRequests =
        Meter.CreateCounter<long>("streamer_keyframe_requests", description: "Keyframe requests raised by the jitter buffer or decoder");
}
