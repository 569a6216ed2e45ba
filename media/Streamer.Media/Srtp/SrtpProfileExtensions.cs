namespace Streamer.Media.Srtp;

/// <summary>
/// Key material sizes per profile, so the DTLS layer knows how many bytes to export
/// (RFC 5764 section 4.2: two master keys followed by two master salts).
/// </summary>
public static class SrtpProfileExtensions
{
    public static bool IsSupported(this SrtpProfile profile) => profile is
        SrtpProfile.Aes128CmHmacSha1_80 or SrtpProfile.Aes128CmHmacSha1_32 or SrtpProfile.AeadAes128Gcm;

    public static int MasterKeyLength(this SrtpProfile profile) => profile switch
    {
        SrtpProfile.Aes128CmHmacSha1_80 or SrtpProfile.Aes128CmHmacSha1_32 or SrtpProfile.AeadAes128Gcm => 16,
        _ => throw new ArgumentOutOfRangeException(nameof(profile), profile, "Unsupported SRTP profile."),
    };

    /// <summary>112 bits for AES-CM (RFC 3711), 96 bits for AEAD_AES_128_GCM (RFC 7714 section 12).</summary>
    public static int MasterSaltLength(this SrtpProfile profile) => profile switch
    {
        SrtpProfile.Aes128CmHmacSha1_80 or SrtpProfile.Aes128CmHmacSha1_32 => 14,
        SrtpProfile.AeadAes128Gcm => 12,
        _ => throw new ArgumentOutOfRangeException(nameof(profile), profile, "Unsupported SRTP profile."),
    };

    /// <summary>Bytes of DTLS exporter output the profile needs: 2 * (key + salt).</summary>
    public static int KeyingMaterialLength(this SrtpProfile profile) =>
        2 * (profile.MasterKeyLength() + profile.MasterSaltLength());
}
