namespace Streamer.Media.WebRtc;

public enum PeerState
{
    /// <summary>Answer sent; waiting for the first connectivity check.</summary>
    New,
    /// <summary>ICE checks arrived; DTLS handshake in progress.</summary>
    Connecting,
    /// <summary>DTLS done, SRTP keys in place: media flows.</summary>
    Connected,
    /// <summary>Ended normally (close_notify, BYE, local close).</summary>
    Closed,
    /// <summary>Ended by an error (handshake failure, consent expired).</summary>
    Failed,
}
