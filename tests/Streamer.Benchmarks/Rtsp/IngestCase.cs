using Streamer.Media.Rtsp;

namespace Streamer.Benchmarks.Rtsp;

/// <summary>One measured configuration: <paramref name="Cameras"/> pulls of the server's <paramref name="Path"/> at once.</summary>
public sealed record IngestCase(string Path, RtspTransportProtocol Transport, int Cameras, bool KeyframesOnly)
{
    public string Decode => KeyframesOnly ? "keyframes" : "every frame";
}
