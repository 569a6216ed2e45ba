using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Org.BouncyCastle.Pkcs;
using Streamer.Media.Dtls;

namespace Streamer.Media.Tests.Dtls;

/// <summary>
/// Our server against OpenSSL's DTLS client over a real loopback UDP socket: an implementation
/// that shares no code with ours must derive the same SRTP keying material.
/// </summary>
public sealed partial class OpenSslInteropTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    private readonly string _directory = Directory.CreateTempSubdirectory("streamer-dtls-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [OpenSslFact]
    public async Task OpenSsl_client_derives_the_same_srtp_keys_and_its_close_notify_is_seen()
    {
        DtlsCertificate clientCertificate = DtlsPair.ClientCertificate;
        string certificatePath = Path.Combine(_directory, "client.pem");
        string keyPath = Path.Combine(_directory, "client.key");
        await File.WriteAllTextAsync(certificatePath, Pem("CERTIFICATE", clientCertificate.DerEncoded));
        await File.WriteAllTextAsync(keyPath, Pem("PRIVATE KEY",
            PrivateKeyInfoFactory.CreatePrivateKeyInfo(clientCertificate.PrivateKey).GetEncoded()));

        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        EndPoint? remote = null;

        using var server = new DtlsServerTransport(
            DtlsPair.ServerCertificate,
            clientCertificate.FingerprintAlgorithm,
            clientCertificate.Fingerprint,
            new DtlsOptions(),
            async datagram => await socket.SendToAsync(datagram, SocketFlags.None, remote!),
            TimeProvider.System);
        var closed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Closed += reason => closed.TrySetResult(reason);

        using var stopPump = new CancellationTokenSource();
        Task pump = PumpAsync(socket, server, endPoint => remote = endPoint, stopPump.Token);
        Task<DtlsSrtpKeys> handshake = server.HandshakeAsync(CancellationToken.None);

        int port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        var start = new ProcessStartInfo(OpenSslFactAttribute.OpenSslPath!)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in new[]
        {
            "s_client", "-dtls1_2", "-use_srtp", "SRTP_AES128_CM_SHA1_80",
            "-connect", $"127.0.0.1:{port}", "-cert", certificatePath, "-key", keyPath,
            "-keymatexport", "EXTRACTOR-dtls_srtp", "-keymatexportlen", "60",
        })
        {
            start.ArgumentList.Add(argument);
        }

        using Process openssl = Process.Start(start)!;
        try
        {
            Task<string> stdout = openssl.StandardOutput.ReadToEndAsync();
            Task<string> stderr = openssl.StandardError.ReadToEndAsync();

            DtlsSrtpKeys keys = await handshake.WaitAsync(Bound);
            // End of input makes s_client shut the connection down with close_notify.
            openssl.StandardInput.Close();
            await openssl.WaitForExitAsync().WaitAsync(Bound);
            string output = await stdout;
            string errors = await stderr;

            // OpenSSL offered only SRTP_AES128_CM_SHA1_80, the second of our preferences.
            Assert.Equal(SrtpProtectionProfiles.Aes128CmHmacSha1_80, keys.ProtectionProfile);
            Match exported = KeyingMaterial().Match(output);
            Assert.True(exported.Success, output + errors);
            byte[] expected = [.. keys.ClientMasterKey, .. keys.ServerMasterKey, .. keys.ClientMasterSalt, .. keys.ServerMasterSalt];
            Assert.Equal(Convert.ToHexString(expected), exported.Groups[1].Value.ToUpperInvariant());

            // The certificate OpenSSL received is the one whose fingerprint we would put in SDP.
            Match certificate = PemCertificate().Match(output);
            Assert.True(certificate.Success, output);
            byte[] der = Convert.FromBase64String(certificate.Groups[1].Value);
            Assert.Equal(DtlsPair.ServerCertificate.Fingerprint, DtlsCertificate.ComputeFingerprint(der));

            Assert.Equal("close_notify received", await closed.Task.WaitAsync(Bound));
            await server.Completion.WaitAsync(Bound);
        }
        finally
        {
            if (!openssl.HasExited)
                openssl.Kill();
            await stopPump.CancelAsync();
            await pump;
        }
    }

    private static async Task PumpAsync(Socket socket, DtlsServerTransport server, Action<EndPoint> learnPeer, CancellationToken cancellationToken)
    {
        var buffer = new byte[2048];
        try
        {
            while (true)
            {
                SocketReceiveFromResult received = await socket.ReceiveFromAsync(
                    buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), cancellationToken);
                learnPeer(received.RemoteEndPoint);
                if (DtlsRecord.LooksLikeDtls(buffer.AsSpan(0, received.ReceivedBytes)))
                    server.Receive(buffer.AsSpan(0, received.ReceivedBytes));
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static string Pem(string label, byte[] der) =>
        $"-----BEGIN {label}-----\n{Convert.ToBase64String(der, Base64FormattingOptions.InsertLineBreaks)}\n-----END {label}-----\n";

    [GeneratedRegex(@"Keying material: ([0-9A-Fa-f]+)")]
    private static partial Regex KeyingMaterial();

    [GeneratedRegex(@"-----BEGIN CERTIFICATE-----\s*([A-Za-z0-9+/=\s]+?)\s*-----END CERTIFICATE-----")]
    private static partial Regex PemCertificate();
}
