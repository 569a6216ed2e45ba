namespace Streamer.Server.Sessions;

public enum SessionKind
{
    WebRtc,
    Rtsp,
}
