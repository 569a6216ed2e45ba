namespace Streamer.Media.Sdp;

/// <summary>
/// The answer to send back and what the transport layers need from the offer: the peer's ICE
/// credentials (to check its STUN requests) and its DTLS certificate fingerprint.
/// </summary>
public sealed record SdpAnswer(
    SessionDescription Answer,
    IReadOnlyList<NegotiatedMedia> Media,
    string RemoteIceUfrag,
    string RemoteIcePwd,
    string RemoteFingerprintAlgorithm,
    string RemoteFingerprint);
