namespace Streamer.Media.Srtp;

/// <summary>
/// The six session keys of one direction (RFC 3711 section 4.3). Kept separate from the
/// master key so the RFC 7714 vectors, which are given as session keys, can drive a context.
/// </summary>
internal sealed record SrtpSessionKeys(
    byte[] RtpCipherKey,
    byte[] RtpSalt,
    byte[] RtpAuthKey,
    byte[] RtcpCipherKey,
    byte[] RtcpSalt,
    byte[] RtcpAuthKey);
