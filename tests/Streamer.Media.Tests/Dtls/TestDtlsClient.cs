using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using Org.BouncyCastle.Security;
using Streamer.Media.Dtls;

namespace Streamer.Media.Tests.Dtls;

/// <summary>
/// An independent DTLS 1.2 client built on BouncyCastle's client protocol, shaped like a browser:
/// ECDSA certificate, ECDHE-ECDSA suites, use_srtp with the given profile offer.
/// </summary>
internal sealed class TestDtlsClient : DefaultTlsClient
{
    private readonly DtlsCertificate _certificate;
    private readonly int[]? _offeredProfiles;
    private readonly bool _sendCertificate;

    public TestDtlsClient(DtlsCertificate certificate, int[]? offeredProfiles, bool sendCertificate = true)
        : base(new BcTlsCrypto(new SecureRandom()))
    {
        _certificate = certificate;
        _offeredProfiles = offeredProfiles;
        _sendCertificate = sendCertificate;
    }

    public int SelectedProfile { get; private set; }

    public DtlsSrtpKeys? Keys { get; private set; }

    public byte[]? ServerCertificateDer { get; private set; }

    protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.DTLSv12.Only();

    protected override int[] GetSupportedCipherSuites() =>
    [
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
    ];

    public override IDictionary<int, byte[]> GetClientExtensions()
    {
        IDictionary<int, byte[]> extensions = TlsExtensionsUtilities.EnsureExtensionsInitialised(base.GetClientExtensions());
        if (_offeredProfiles is not null)
            TlsSrtpUtilities.AddUseSrtpExtension(extensions, new UseSrtpData(_offeredProfiles, TlsUtilities.EmptyBytes));
        return extensions;
    }

    public override void ProcessServerExtensions(IDictionary<int, byte[]> serverExtensions)
    {
        base.ProcessServerExtensions(serverExtensions);
        UseSrtpData? answer = TlsSrtpUtilities.GetUseSrtpExtension(serverExtensions);
        SelectedProfile = answer?.ProtectionProfiles.Single() ?? 0;
    }

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        ushort profile = (ushort)SelectedProfile;
        byte[] material = m_context.ExportKeyingMaterial(
            ExporterLabel.dtls_srtp, null, DtlsSrtpKeys.KeyingMaterialLength(profile));
        Keys = DtlsSrtpKeys.FromKeyingMaterial(profile, material);
    }

    public override TlsAuthentication GetAuthentication() => new Authentication(this);

    private sealed class Authentication(TestDtlsClient owner) : TlsAuthentication
    {
        public void NotifyServerCertificate(TlsServerCertificate serverCertificate) =>
            owner.ServerCertificateDer = serverCertificate.Certificate.GetCertificateAt(0).GetEncoded();

        public TlsCredentials? GetClientCredentials(CertificateRequest certificateRequest)
        {
            if (!owner._sendCertificate)
                return null;
            var chain = new Certificate([new BcTlsCertificate((BcTlsCrypto)owner.Crypto, owner._certificate.DerEncoded)]);
            return new BcDefaultTlsCredentialedSigner(
                new TlsCryptoParameters(owner.m_context),
                (BcTlsCrypto)owner.Crypto,
                owner._certificate.PrivateKey,
                chain,
                SignatureAndHashAlgorithm.GetInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
        }
    }
}
