using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Streamer.Media.Dtls;

namespace Streamer.Media.Tests.Dtls;

public sealed class DtlsCertificateTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 30, 15, TimeSpan.Zero);

    [Fact]
    public void Generate_makes_a_self_signed_p256_certificate_around_now()
    {
        var time = new ManualTimeProvider(Now);

        DtlsCertificate certificate = DtlsCertificate.Generate(time);

        // Parsed by .NET rather than BouncyCastle, as a peer would.
        using X509Certificate2 parsed = X509CertificateLoader.LoadCertificate(certificate.DerEncoded);
        Assert.Equal("CN=streamer", parsed.Subject);
        Assert.Equal(parsed.Subject, parsed.Issuer);
        Assert.Equal(Now.AddDays(-1).UtcDateTime, parsed.NotBefore.ToUniversalTime());
        Assert.Equal(Now.AddDays(30).UtcDateTime, parsed.NotAfter.ToUniversalTime());
        Assert.Equal("1.2.840.10045.4.3.2", parsed.SignatureAlgorithm.Value); // ecdsa-with-SHA256
        using ECDsa key = parsed.GetECDsaPublicKey()!;
        Assert.Equal("1.2.840.10045.3.1.7", key.ExportParameters(false).Curve.Oid.Value); // P-256
        var bc = new Org.BouncyCastle.X509.X509CertificateParser().ReadCertificate(certificate.DerEncoded);
        bc.Verify(bc.GetPublicKey()); // throws unless the self-signature holds
        Assert.True(bc.SerialNumber.SignValue > 0);
    }

    [Fact]
    public void Generate_uses_a_fresh_key_and_serial_each_time()
    {
        DtlsCertificate first = DtlsCertificate.Generate(TimeProvider.System);
        DtlsCertificate second = DtlsCertificate.Generate(TimeProvider.System);

        using X509Certificate2 a = X509CertificateLoader.LoadCertificate(first.DerEncoded);
        using X509Certificate2 b = X509CertificateLoader.LoadCertificate(second.DerEncoded);
        Assert.NotEqual(a.SerialNumber, b.SerialNumber);
        Assert.NotEqual(first.Fingerprint, second.Fingerprint);
    }

    [Fact]
    public void Fingerprint_is_the_sdp_form_of_the_sha256_of_the_der()
    {
        DtlsCertificate certificate = DtlsPair.ServerCertificate;
        using X509Certificate2 parsed = X509CertificateLoader.LoadCertificate(certificate.DerEncoded);

        Assert.Equal("sha-256", certificate.FingerprintAlgorithm);
        Assert.Matches("^([0-9A-F]{2}:){31}[0-9A-F]{2}$", certificate.Fingerprint);
        Assert.Equal(parsed.GetCertHashString(HashAlgorithmName.SHA256), certificate.Fingerprint.Replace(":", "", StringComparison.Ordinal));
    }

    [Fact]
    public void ComputeFingerprint_matches_the_fips_180_abc_vector()
    {
        // SHA-256("abc"), FIPS 180-2 appendix B.1.
        Assert.Equal(
            "BA:78:16:BF:8F:01:CF:EA:41:41:40:DE:5D:AE:22:23:B0:03:61:A3:96:17:7A:9C:B4:10:FF:61:F2:00:15:AD",
            DtlsCertificate.ComputeFingerprint("abc"u8.ToArray()));
        // The SDP token is case-insensitive (RFC 8122 5).
        Assert.Equal(
            DtlsCertificate.ComputeFingerprint("abc"u8.ToArray()),
            DtlsCertificate.ComputeFingerprint("SHA-256", "abc"u8.ToArray()));
        Assert.StartsWith("DD:AF:35:A1", DtlsCertificate.ComputeFingerprint("sha-512", "abc"u8.ToArray()), StringComparison.Ordinal);
        Assert.Throws<NotSupportedException>(() => DtlsCertificate.ComputeFingerprint("sha-1", "abc"u8.ToArray()));
    }
}
