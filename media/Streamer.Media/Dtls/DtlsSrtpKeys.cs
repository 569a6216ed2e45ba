namespace Streamer.Media.Dtls;

/// <summary>
/// SRTP master keys and salts derived from a DTLS handshake. The browser is the DTLS client,
/// so the server decrypts what it receives with the client's key and salt and encrypts what it
/// sends with its own.
/// </summary>
public sealed record DtlsSrtpKeys(
    ushort ProtectionProfile,
    byte[] ClientMasterKey,
    byte[] ClientMasterSalt,
    byte[] ServerMasterKey,
    byte[] ServerMasterSalt)
{
    /// <summary>The exporter label of RFC 5764 section 4.2.</summary>
    public const string ExporterLabel = "EXTRACTOR-dtls_srtp";

    /// <summary>Bytes to export for a profile: two keys and two salts.</summary>
    public static int KeyingMaterialLength(ushort profile) =>
        SrtpProtectionProfiles.TryGetKeyLengths(profile, out int key, out int salt)
            ? 2 * (key + salt)
            : throw new ArgumentOutOfRangeException(nameof(profile), profile, "Unsupported SRTP protection profile.");

    /// <summary>
    /// Splits exported keying material laid out as RFC 5764 section 4.2 specifies:
    /// client key, server key, client salt, server salt.
    /// </summary>
    public static DtlsSrtpKeys FromKeyingMaterial(ushort profile, ReadOnlySpan<byte> material)
    {
        if (!SrtpProtectionProfiles.TryGetKeyLengths(profile, out int key, out int salt))
            throw new ArgumentOutOfRangeException(nameof(profile), profile, "Unsupported SRTP protection profile.");
        if (material.Length != 2 * (key + salt))
            throw new ArgumentException($"Expected {2 * (key + salt)} bytes of keying material, got {material.Length}.", nameof(material));

        return new DtlsSrtpKeys(
            profile,
            ClientMasterKey: material[..key].ToArray(),
            ClientMasterSalt: material.Slice(2 * key, salt).ToArray(),
            ServerMasterKey: material.Slice(key, key).ToArray(),
            ServerMasterSalt: material.Slice(2 * key + salt, salt).ToArray());
    }
}
