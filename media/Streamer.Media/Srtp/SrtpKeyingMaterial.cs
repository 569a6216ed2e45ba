namespace Streamer.Media.Srtp;

/// <summary>
/// Splits the DTLS exporter output ("EXTRACTOR-dtls_srtp") into the two directions
/// (RFC 5764 section 4.2):
/// <code>
/// client write key | server write key | client write salt | server write salt
/// </code>
/// </summary>
public static class SrtpKeyingMaterial
{
    /// <summary>
    /// Creates the inbound (peer's writes) and outbound (our writes) contexts for the side
    /// that was DTLS client when <paramref name="isDtlsClient"/> is true.
    /// </summary>
    public static (SrtpContext Inbound, SrtpContext Outbound) CreateContexts(
        SrtpProfile profile, ReadOnlySpan<byte> keyingMaterial, bool isDtlsClient, SrtpOptions? options = null)
    {
        var keyLength = profile.MasterKeyLength();
        var saltLength = profile.MasterSaltLength();
        if (keyingMaterial.Length != profile.KeyingMaterialLength())
        {
            throw new ArgumentException($"{profile} needs {profile.KeyingMaterialLength()} bytes of keying material.", nameof(keyingMaterial));
        }

        var clientKey = keyingMaterial[..keyLength];
        var serverKey = keyingMaterial.Slice(keyLength, keyLength);
        var clientSalt = keyingMaterial.Slice(2 * keyLength, saltLength);
        var serverSalt = keyingMaterial.Slice(2 * keyLength + saltLength, saltLength);

        var client = SrtpContext.Create(profile, clientKey, clientSalt, options);
        try
        {
            var server = SrtpContext.Create(profile, serverKey, serverSalt, options);
            return isDtlsClient ? (server, client) : (client, server);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }
}
