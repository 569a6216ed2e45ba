namespace Streamer.Media.Srtp;

/// <summary>
/// SRTP protection profiles by their DTLS-SRTP identifiers (RFC 5764 section 4.1.2,
/// RFC 7714 section 14.2), so the value negotiated in the use_srtp extension maps directly.
/// </summary>
public enum SrtpProfile : ushort
{
    /// <summary>AES-128 counter mode, HMAC-SHA1 with an 80-bit tag on SRTP and SRTCP.</summary>
    Aes128CmHmacSha1_80 = 0x0001,

    /// <summary>AES-128 counter mode, HMAC-SHA1 with a 32-bit SRTP tag (SRTCP keeps 80 bits).</summary>
    Aes128CmHmacSha1_32 = 0x0002,

    /// <summary>AES-128 in GCM mode with a 128-bit tag (RFC 7714).</summary>
    AeadAes128Gcm = 0x0007,
}
