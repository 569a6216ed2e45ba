namespace Streamer.Media.Dtls;

/// <summary>Settings for one DTLS-SRTP server association.</summary>
public sealed class DtlsOptions
{
    /// <summary>How long the whole handshake may take before it is abandoned.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Datagrams waiting for the handshake thread. A peer retransmits a lost flight, so dropping
    /// when full is safe and bounds what a flooding peer can cost.
    /// </summary>
    public int MaxQueuedDatagrams { get; set; } = 256;

    /// <summary>
    /// SRTP protection profiles (RFC 5764 section 4.1.2) in order of preference; the first one
    /// the client also offers is chosen. Defaults to AEAD_AES_128_GCM, then
    /// SRTP_AES128_CM_HMAC_SHA1_80.
    /// </summary>
    public IReadOnlyList<ushort> SrtpProfiles { get; set; } =
        [SrtpProtectionProfiles.AeadAes128Gcm, SrtpProtectionProfiles.Aes128CmHmacSha1_80];

    /// <summary>Largest datagram the server sends; handshake messages are fragmented to fit.</summary>
    public int Mtu { get; set; } = 1200;
}
