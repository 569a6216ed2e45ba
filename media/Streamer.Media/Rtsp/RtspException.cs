namespace Streamer.Media.Rtsp;

/// <summary>
/// An RTSP session failed. Messages name the camera only by its redacted URL, never its
/// credentials.
/// </summary>
public class RtspException : Exception
{
    public RtspException(RtspError error, string message, int statusCode = 0, Exception? innerException = null)
        : base(message, innerException)
    {
        Error = error;
        StatusCode = statusCode;
    }

    public RtspError Error { get; }

    /// <summary>The RTSP status code of the response that failed, 0 when there was none.</summary>
    public int StatusCode { get; }
}
