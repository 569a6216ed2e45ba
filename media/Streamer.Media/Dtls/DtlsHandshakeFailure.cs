namespace Streamer.Media.Dtls;

/// <summary>Why a DTLS handshake failed; callers and tests branch on this, not on message text.</summary>
public enum DtlsHandshakeFailure
{
    /// <summary>The handshake did not finish within <see cref="DtlsOptions.HandshakeTimeout"/>.</summary>
    Timeout,
    /// <summary>The client's certificate does not hash to the fingerprint from its SDP.</summary>
    FingerprintMismatch,
    /// <summary>The client sent no certificate although one is required.</summary>
    MissingClientCertificate,
    /// <summary>The client offered no use_srtp extension or no profile the server accepts.</summary>
    NoCommonSrtpProfile,
    /// <summary>The client sent a fatal alert.</summary>
    AlertReceived,
    /// <summary>Any other protocol error (bad message, failed signature, internal error).</summary>
    ProtocolError,
}
