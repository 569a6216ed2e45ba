namespace Streamer.Media.Dtls;

/// <summary>
/// SRTP protection profile identifiers carried by the use_srtp extension (RFC 5764 section
/// 4.1.2, RFC 7714 section 14.2) and the key and salt lengths each one needs.
/// </summary>
public static class SrtpProtectionProfiles
{
    /// <summary>SRTP_AES128_CM_HMAC_SHA1_80.</summary>
    public const ushort Aes128CmHmacSha1_80 = 0x0001;

    /// <summary>SRTP_AES128_CM_HMAC_SHA1_32.</summary>
    public const ushort Aes128CmHmacSha1_32 = 0x0002;

    /// <summary>SRTP_AEAD_AES_128_GCM.</summary>
    public const ushort AeadAes128Gcm = 0x0007;

    /// <summary>SRTP_AEAD_AES_256_GCM.</summary>
    public const ushort AeadAes256Gcm = 0x0008;

    /// <summary>Master key and master salt lengths in bytes for a supported profile.</summary>
    public static bool TryGetKeyLengths(ushort profile, out int keyLength, out int saltLength)
    {
        (keyLength, saltLength) = profile switch
        {
            Aes128CmHmacSha1_80 or Aes128CmHmacSha1_32 => (16, 14),
            AeadAes128Gcm => (16, 12),
            AeadAes256Gcm => (32, 12),
            _ => (0, 0),
        };
        return keyLength != 0;
    }
}
