namespace Streamer.Media.Ice;

/// <summary>Why a datagram given to the ICE-lite agent did not pass as a valid connectivity check.</summary>
public enum IceError
{
    None = 0,
    /// <summary>Not a STUN message at all; no response.</summary>
    NotStun,
    /// <summary>STUN header present but the message does not parse; 400 for a request.</summary>
    Malformed,
    /// <summary>FINGERPRINT does not match; discarded silently as RFC 8489 section 7.3 says.</summary>
    BadFingerprint,
    /// <summary>An indication or a response; a lite agent sends no requests, so nothing to do.</summary>
    NotRequest,
    /// <summary>A request for a method other than Binding; 400.</summary>
    UnsupportedMethod,
    /// <summary>USERNAME or MESSAGE-INTEGRITY missing; 400.</summary>
    MissingCredentials,
    /// <summary>FINGERPRINT missing, which ICE requires on checks; 400.</summary>
    MissingFingerprint,
    /// <summary>USERNAME is not "localUfrag:remoteUfrag"; 401.</summary>
    BadUsername,
    /// <summary>MESSAGE-INTEGRITY does not verify with the local password; 401.</summary>
    BadIntegrity,
    /// <summary>The caller's response buffer cannot hold the response; nothing written.</summary>
    ResponseBufferTooSmall,
}
