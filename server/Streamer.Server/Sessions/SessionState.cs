namespace Streamer.Server.Sessions;

public enum SessionState
{
    /// <summary>Created; waiting for ICE/DTLS (WebRTC) or the camera (RTSP).</summary>
    Connecting,
    /// <summary>Media is flowing.</summary>
    Live,
    /// <summary>Ended by the client, the owner or the server.</summary>
    Ended,
    /// <summary>Ended by an error; <see cref="Session.Error"/> says which.</summary>
    Failed,
}
