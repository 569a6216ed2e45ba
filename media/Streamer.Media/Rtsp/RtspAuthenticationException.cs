namespace Streamer.Media.Rtsp;

/// <summary>The camera answered 401 to the request sent with credentials (or none were configured).</summary>
public sealed class RtspAuthenticationException : RtspException
{
    public RtspAuthenticationException(string message)
        : base(RtspError.AuthenticationFailed, message, statusCode: 401)
    {
    }
}
