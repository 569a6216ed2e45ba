namespace Streamer.Media.Rtsp;

public enum RtspSourceState
{
    /// <summary>Opening the session (connect, DESCRIBE, SETUP, PLAY).</summary>
    Connecting,
    /// <summary>RTP is flowing into the output.</summary>
    Playing,
    /// <summary>The session broke; waiting out the backoff before the next attempt.</summary>
    Retrying,
    /// <summary>Given up: wrong credentials, an unsupported codec, or MaxAttempts reached. See LastError.</summary>
    Failed,
}
