using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace Streamer.Media.Dtls;

/// <summary>
/// The BouncyCastle server policy for WebRTC: DTLS 1.2 only, ECDSA certificate, a required
/// client certificate checked against the SDP fingerprint, and use_srtp (RFC 5764).
/// </summary>
internal sealed class SrtpDtlsServer : DefaultTlsServer
{
    // Chromium offers these (among others); ECDHE keeps forward secrecy, GCM first.
    private static readonly int[] CipherSuites =
    [
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
    ];

    private readonly DtlsCertificate _certificate;
    private readonly string _remoteFingerprintAlgorithm;
    private readonly string _remoteFingerprint;
    private readonly IReadOnlyList<ushort> _srtpPreference;
    private ushort _selectedProfile;

    public SrtpDtlsServer(
        BcTlsCrypto crypto,
        DtlsCertificate certificate,
        string remoteFingerprintAlgorithm,
        string remoteFingerprint,
        IReadOnlyList<ushort> srtpPreference)
        : base(crypto)
    {
        _certificate = certificate;
        _remoteFingerprintAlgorithm = remoteFingerprintAlgorithm;
        _remoteFingerprint = remoteFingerprint;
        _srtpPreference = srtpPreference;
    }

    /// <summary>Keys exported when the handshake completed; null before.</summary>
    public DtlsSrtpKeys? Keys { get; private set; }

    /// <summary>The policy check that failed, recorded before the fatal alert is raised.</summary>
    public DtlsHandshakeException? PolicyFailure { get; private set; }

    /// <summary>The last fatal alert the client sent, if any.</summary>
    public short? ReceivedFatalAlert { get; private set; }

    protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.DTLSv12.Only();

    protected override int[] GetSupportedCipherSuites() =>
        TlsUtilities.GetSupportedCipherSuites(Crypto, CipherSuites);

    protected override TlsCredentialedSigner GetECDsaSignerCredentials()
    {
        var tlsCertificate = new Certificate([new BcTlsCertificate((BcTlsCrypto)Crypto, _certificate.DerEncoded)]);
        return new BcDefaultTlsCredentialedSigner(
            new TlsCryptoParameters(m_context),
            (BcTlsCrypto)Crypto,
            _certificate.PrivateKey,
            tlsCertificate,
            SignatureAndHashAlgorithm.GetInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
    }

    public override CertificateRequest GetCertificateRequest()
    {
        // WebRTC authenticates the client by its certificate's fingerprint, so it must send one.
        short[] types = [ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign];
        var signatureAlgorithms = TlsUtilities.GetDefaultSupportedSignatureAlgorithms(m_context);
        return new CertificateRequest(types, signatureAlgorithms, null);
    }

    public override void NotifyClientCertificate(Certificate clientCertificate)
    {
        if (clientCertificate is null || clientCertificate.IsEmpty)
        {
            throw Fail(
                new DtlsHandshakeException(DtlsHandshakeFailure.MissingClientCertificate,
                    "The DTLS client sent no certificate."),
                AlertDescription.handshake_failure);
        }

        byte[] der = clientCertificate.GetCertificateAt(0).GetEncoded();
        string actual = DtlsCertificate.ComputeFingerprint(_remoteFingerprintAlgorithm, der);
        if (!string.Equals(actual, _remoteFingerprint, StringComparison.OrdinalIgnoreCase))
        {
            throw Fail(
                new DtlsHandshakeException(DtlsHandshakeFailure.FingerprintMismatch,
                    $"The DTLS client's certificate has {_remoteFingerprintAlgorithm} fingerprint {actual}, " +
                    $"but its SDP announced {_remoteFingerprint}."),
                AlertDescription.bad_certificate);
        }
    }

    public override void ProcessClientExtensions(IDictionary<int, byte[]> clientExtensions)
    {
        base.ProcessClientExtensions(clientExtensions);

        UseSrtpData? offer = TlsSrtpUtilities.GetUseSrtpExtension(clientExtensions);
        if (offer is null)
        {
            throw Fail(
                new DtlsHandshakeException(DtlsHandshakeFailure.NoCommonSrtpProfile,
                    "The DTLS client did not offer the use_srtp extension."),
                AlertDescription.handshake_failure);
        }

        // The server's preference decides (RFC 5764 4.1.1 lets the server pick any offered profile).
        foreach (ushort profile in _srtpPreference)
        {
            if (Array.IndexOf(offer.ProtectionProfiles, profile) >= 0)
            {
                _selectedProfile = profile;
                return;
            }
        }

        throw Fail(
            new DtlsHandshakeException(DtlsHandshakeFailure.NoCommonSrtpProfile,
                $"The DTLS client offered SRTP profiles [{FormatProfiles(offer.ProtectionProfiles)}], " +
                $"none of the accepted [{FormatProfiles(_srtpPreference.Select(p => (int)p))}]."),
            AlertDescription.handshake_failure);
    }

    public override IDictionary<int, byte[]> GetServerExtensions()
    {
        IDictionary<int, byte[]> extensions = TlsExtensionsUtilities.EnsureExtensionsInitialised(base.GetServerExtensions());
        TlsSrtpUtilities.AddUseSrtpExtension(extensions, new UseSrtpData([_selectedProfile], TlsUtilities.EmptyBytes));
        return extensions;
    }

    public override void NotifyAlertReceived(short alertLevel, short alertDescription)
    {
        if (alertLevel == AlertLevel.fatal)
            ReceivedFatalAlert = alertDescription;
    }

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();

        // Exported here because the master secret is cleared once Accept returns.
        byte[] material = m_context.ExportKeyingMaterial(
            ExporterLabel.dtls_srtp, null, DtlsSrtpKeys.KeyingMaterialLength(_selectedProfile));
        Keys = DtlsSrtpKeys.FromKeyingMaterial(_selectedProfile, material);
    }

    private TlsFatalAlert Fail(DtlsHandshakeException failure, short alert)
    {
        PolicyFailure = failure;
        return new TlsFatalAlert(alert, failure.Message);
    }

    private static string FormatProfiles(IEnumerable<int> profiles) =>
        string.Join(", ", profiles.Select(p => $"0x{p:X4}"));
}
