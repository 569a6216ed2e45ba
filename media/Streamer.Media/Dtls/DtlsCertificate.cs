using System.Security.Cryptography;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace Streamer.Media.Dtls;

/// <summary>
/// A self-signed ECDSA P-256 certificate for DTLS-SRTP. WebRTC authenticates it by the
/// fingerprint carried in SDP (RFC 8122), not by a chain, so a fresh one per process is enough.
/// </summary>
public sealed class DtlsCertificate
{
    /// <summary>The SDP hash function name for <see cref="Fingerprint"/>.</summary>
    public const string Sha256 = "sha-256";

    private const string SubjectName = "CN=streamer";
    private const int SerialNumberBits = 128;

    private DtlsCertificate(byte[] derEncoded, AsymmetricKeyParameter privateKey)
    {
        DerEncoded = derEncoded;
        PrivateKey = privateKey;
        Fingerprint = ComputeFingerprint(derEncoded);
    }

    /// <summary>Always "sha-256", the first token of SDP's a=fingerprint.</summary>
    public string FingerprintAlgorithm => Sha256;

    /// <summary>Uppercase hex pairs joined by ':', the second token of SDP's a=fingerprint.</summary>
    public string Fingerprint { get; }

    /// <summary>The X.509 certificate in DER.</summary>
    public byte[] DerEncoded { get; }

    internal AsymmetricKeyParameter PrivateKey { get; }

    /// <summary>Creates a certificate valid from one day before now until thirty days after.</summary>
    public static DtlsCertificate Generate(TimeProvider time)
    {
        var random = new SecureRandom();
        var keyGenerator = new ECKeyPairGenerator();
        keyGenerator.Init(new ECKeyGenerationParameters(SecObjectIdentifiers.SecP256r1, random));
        AsymmetricCipherKeyPair keyPair = keyGenerator.GenerateKeyPair();

        DateTimeOffset now = time.GetUtcNow();
        var name = new X509Name(SubjectName);
        var generator = new X509V3CertificateGenerator();
        // Serial numbers must be positive (RFC 5280 4.1.2.2); adding one also rules out zero.
        generator.SetSerialNumber(new BigInteger(SerialNumberBits, random).Add(BigInteger.One));
        generator.SetIssuerDN(name);
        generator.SetSubjectDN(name);
        generator.SetNotBefore(now.AddDays(-1).UtcDateTime);
        generator.SetNotAfter(now.AddDays(30).UtcDateTime);
        generator.SetPublicKey(keyPair.Public);

        X509Certificate certificate = generator.Generate(
            new Asn1SignatureFactory("SHA256WITHECDSA", keyPair.Private, random));
        return new DtlsCertificate(certificate.GetEncoded(), keyPair.Private);
    }

    /// <summary>The SHA-256 fingerprint of a DER certificate in SDP form.</summary>
    public static string ComputeFingerprint(byte[] derCertificate) => ComputeFingerprint(Sha256, derCertificate);

    /// <summary>
    /// The fingerprint of a DER certificate with one of the SDP hash function names
    /// "sha-256", "sha-384" or "sha-512" (case-insensitive). SHA-1 is refused: RFC 8827
    /// section 6.5 requires SHA-256 and browsers no longer announce anything weaker.
    /// </summary>
    public static string ComputeFingerprint(string algorithm, byte[] derCertificate)
    {
        byte[] hash = algorithm.ToLowerInvariant() switch
        {
            Sha256 => SHA256.HashData(derCertificate),
            "sha-384" => SHA384.HashData(derCertificate),
            "sha-512" => SHA512.HashData(derCertificate),
            _ => throw new NotSupportedException($"Unsupported fingerprint hash function '{algorithm}'."),
        };
        return string.Join(':', hash.Select(b => b.ToString("X2")));
    }

    /// <summary>True for the hash function names <see cref="ComputeFingerprint(string, byte[])"/> accepts.</summary>
    public static bool IsSupportedFingerprintAlgorithm(string algorithm) =>
        algorithm.ToLowerInvariant() is Sha256 or "sha-384" or "sha-512";
}
