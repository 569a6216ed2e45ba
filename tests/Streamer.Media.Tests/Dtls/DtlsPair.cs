using Org.BouncyCastle.Tls;
using Streamer.Media.Dtls;

namespace Streamer.Media.Tests.Dtls;

/// <summary>Our server and a BouncyCastle client joined by in-memory queues.</summary>
internal sealed class DtlsPair : IDisposable
{
    // Generated once: key generation is the slowest part of a test.
    public static readonly DtlsCertificate ServerCertificate = DtlsCertificate.Generate(TimeProvider.System);
    public static readonly DtlsCertificate ClientCertificate = DtlsCertificate.Generate(TimeProvider.System);

    /// <summary>Chromium's use_srtp offer order.</summary>
    public static readonly int[] ChromiumProfiles = [0x0007, 0x0008, 0x0001, 0x0002];

    public DtlsPair(
        int[]? offeredProfiles,
        DtlsOptions? options = null,
        string? announcedClientFingerprint = null,
        TimeProvider? time = null,
        bool clientSendsCertificate = true)
    {
        Link = new InMemoryClientTransport(datagram => Server!.Receive(datagram));
        Server = new DtlsServerTransport(
            ServerCertificate,
            "sha-256",
            announcedClientFingerprint ?? ClientCertificate.Fingerprint,
            options ?? new DtlsOptions(),
            Link.Deliver,
            time ?? TimeProvider.System);
        Client = new TestDtlsClient(ClientCertificate, offeredProfiles, clientSendsCertificate);
    }

    public DtlsServerTransport Server { get; }

    public TestDtlsClient Client { get; }

    public InMemoryClientTransport Link { get; }

    /// <summary>Runs the blocking client handshake on its own thread.</summary>
    public Task<DtlsTransport> ConnectClientAsync() =>
        Task.Factory.StartNew(
            () => new DtlsClientProtocol().Connect(Client, Link),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

    public void Dispose()
    {
        Server.Dispose();
        Link.Shut();
    }
}
