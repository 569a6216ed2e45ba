namespace Streamer.Media.Dtls;

/// <summary>A DTLS-SRTP handshake did not produce keys.</summary>
public sealed class DtlsHandshakeException : Exception
{
    public DtlsHandshakeException(DtlsHandshakeFailure failure, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
    }

    public DtlsHandshakeFailure Failure { get; }
}
