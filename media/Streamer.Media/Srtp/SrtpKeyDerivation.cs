using System.Security.Cryptography;

namespace Streamer.Media.Srtp;

/// <summary>
/// The AES-CM pseudo-random function of RFC 3711 section 4.3 with a key derivation rate of
/// zero, which is what DTLS-SRTP uses: every session key is derived once per master key.
/// </summary>
internal static class SrtpKeyDerivation
{
    public const byte RtpEncryptionLabel = 0x00;
    public const byte RtpAuthenticationLabel = 0x01;
    public const byte RtpSaltLabel = 0x02;
    public const byte RtcpEncryptionLabel = 0x03;
    public const byte RtcpAuthenticationLabel = 0x04;
    public const byte RtcpSaltLabel = 0x05;

    // The label sits at the eighth octet of the 14-octet salt: key_id = label || r with a
    // 48-bit r, right-aligned against the salt (RFC 3711 section 4.3.1).
    private const int LabelOffset = 7;
    private const int AuthKeyLength = 20;

    public static SrtpSessionKeys DeriveSessionKeys(SrtpProfile profile, ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt)
    {
        var keyLength = profile.MasterKeyLength();
        var saltLength = profile.MasterSaltLength();
        var authLength = profile == SrtpProfile.AeadAes128Gcm ? 0 : AuthKeyLength;
        using var prf = new AesCounterMode(masterKey);
        return new SrtpSessionKeys(
            Derive(prf, masterSalt, RtpEncryptionLabel, keyLength),
            Derive(prf, masterSalt, RtpSaltLabel, saltLength),
            Derive(prf, masterSalt, RtpAuthenticationLabel, authLength),
            Derive(prf, masterSalt, RtcpEncryptionLabel, keyLength),
            Derive(prf, masterSalt, RtcpSaltLabel, saltLength),
            Derive(prf, masterSalt, RtcpAuthenticationLabel, authLength));
    }

    public static byte[] Derive(ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt, byte label, int length)
    {
        using var prf = new AesCounterMode(masterKey);
        return Derive(prf, masterSalt, label, length);
    }

    private static byte[] Derive(AesCounterMode prf, ReadOnlySpan<byte> masterSalt, byte label, int length)
    {
        // A 96-bit GCM salt is left-aligned in the 112-bit field and zero padded, as libsrtp
        // and pion do; RFC 7714 section 11 keeps the AES-CM PRF unchanged.
        Span<byte> iv = stackalloc byte[AesCounterMode.BlockSize];
        iv.Clear();
        masterSalt.CopyTo(iv);
        iv[LabelOffset] ^= label;
        var output = new byte[length];
        prf.Transform(iv, output);
        CryptographicOperations.ZeroMemory(iv);
        return output;
    }
}
