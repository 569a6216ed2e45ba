namespace Streamer.Media.Rtsp;

/// <summary>Why an RTSP session could not be opened or kept.</summary>
public enum RtspError
{
    None = 0,
    /// <summary>The TCP connection to the camera could not be made (refused, unreachable, timed out).</summary>
    ConnectFailed,
    /// <summary>A request got no complete response within the response timeout.</summary>
    Timeout,
    /// <summary>The camera closed the connection.</summary>
    ConnectionClosed,
    /// <summary>The camera sent bytes that are not an RTSP response.</summary>
    MalformedResponse,
    /// <summary>A response without CSeq, or with one that answers no request.</summary>
    CSeqMismatch,
    /// <summary>A response with a status code other than 2xx that the client does not handle.</summary>
    BadStatus,
    /// <summary>The camera refused the credentials, or asked for some and none were given.</summary>
    AuthenticationFailed,
    /// <summary>More redirects than the options allow, or one without a usable Location.</summary>
    TooManyRedirects,
    /// <summary>The SDP from DESCRIBE could not be parsed or holds no video track.</summary>
    BadDescription,
    /// <summary>The video track uses a codec the client cannot depacketize.</summary>
    UnsupportedCodec,
    /// <summary>The SETUP reply has no usable Transport or Session header.</summary>
    BadTransport,
    /// <summary>No RTP arrived within the stall timeout.</summary>
    Stalled,
}
