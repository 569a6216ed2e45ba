using Org.BouncyCastle.Tls;
using Streamer.Media.Dtls;

namespace Streamer.Media.Tests.Dtls;

public sealed class DtlsServerTransportTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Handshake_completes_and_both_sides_export_the_same_srtp_keys()
    {
        using var pair = new DtlsPair(DtlsPair.ChromiumProfiles);

        Task<DtlsSrtpKeys> server = pair.Server.HandshakeAsync(CancellationToken.None);
        Task<DtlsTransport> client = pair.ConnectClientAsync();
        DtlsSrtpKeys serverKeys = await server.WaitAsync(Bound);
        await client.WaitAsync(Bound);

        DtlsSrtpKeys clientKeys = pair.Client.Keys!;
        Assert.Equal(SrtpProtectionProfiles.AeadAes128Gcm, serverKeys.ProtectionProfile);
        Assert.Equal(0x0007, pair.Client.SelectedProfile);
        Assert.Equal(clientKeys.ClientMasterKey, serverKeys.ClientMasterKey);
        Assert.Equal(clientKeys.ClientMasterSalt, serverKeys.ClientMasterSalt);
        Assert.Equal(clientKeys.ServerMasterKey, serverKeys.ServerMasterKey);
        Assert.Equal(clientKeys.ServerMasterSalt, serverKeys.ServerMasterSalt);
        Assert.Equal(16, serverKeys.ClientMasterKey.Length);
        Assert.Equal(12, serverKeys.ClientMasterSalt.Length);
        // The two directions must not share a key.
        Assert.NotEqual(serverKeys.ClientMasterKey, serverKeys.ServerMasterKey);
        // The client saw the certificate whose fingerprint the server announces in SDP.
        Assert.Equal(DtlsPair.ServerCertificate.Fingerprint, DtlsCertificate.ComputeFingerprint(pair.Client.ServerCertificateDer!));
        Assert.True(pair.Server.IsConnected);
    }

    [Theory]
    // Server preference wins over the client's order whenever the client offers it.
    [InlineData(new[] { 0x0007, 0x0008, 0x0001, 0x0002 }, new[] { 0x0001, 0x0007 }, 0x0001, 16, 14)]
    [InlineData(new[] { 0x0001, 0x0007 }, new[] { 0x0007, 0x0001 }, 0x0007, 16, 12)]
    [InlineData(new[] { 0x0007, 0x0008 }, new[] { 0x0008, 0x0007 }, 0x0008, 32, 12)]
    // A preferred profile the client lacks is skipped.
    [InlineData(new[] { 0x0002, 0x0001 }, new[] { 0x0007, 0x0001 }, 0x0001, 16, 14)]
    [InlineData(new[] { 0x0002 }, new[] { 0x0007, 0x0002 }, 0x0002, 16, 14)]
    public async Task Handshake_selects_the_first_server_preferred_profile_the_client_offers(
        int[] clientOffer, int[] serverPreference, int expected, int keyLength, int saltLength)
    {
        var options = new DtlsOptions { SrtpProfiles = serverPreference.Select(p => (ushort)p).ToArray() };
        using var pair = new DtlsPair(clientOffer, options);

        Task<DtlsSrtpKeys> server = pair.Server.HandshakeAsync(CancellationToken.None);
        Task<DtlsTransport> client = pair.ConnectClientAsync();
        DtlsSrtpKeys keys = await server.WaitAsync(Bound);
        await client.WaitAsync(Bound);

        Assert.Equal(expected, keys.ProtectionProfile);
        Assert.Equal(expected, pair.Client.SelectedProfile);
        Assert.Equal(keyLength, keys.ServerMasterKey.Length);
        Assert.Equal(saltLength, keys.ServerMasterSalt.Length);
        Assert.Equal(pair.Client.Keys!.ServerMasterKey, keys.ServerMasterKey);
        Assert.Equal(pair.Client.Keys!.ClientMasterSalt, keys.ClientMasterSalt);
    }

    [Fact]
    public async Task Handshake_fails_when_client_certificate_does_not_match_the_sdp_fingerprint()
    {
        // The fingerprint of the server's own certificate stands in for a forged SDP.
        using var pair = new DtlsPair(DtlsPair.ChromiumProfiles, announcedClientFingerprint: DtlsPair.ServerCertificate.Fingerprint);

        Task<DtlsSrtpKeys> server = pair.Server.HandshakeAsync(CancellationToken.None);
        Task<DtlsTransport> client = pair.ConnectClientAsync();

        var error = await Assert.ThrowsAsync<DtlsHandshakeException>(() => server.WaitAsync(Bound));
        Assert.Equal(DtlsHandshakeFailure.FingerprintMismatch, error.Failure);
        Assert.Contains(DtlsPair.ClientCertificate.Fingerprint, error.Message, StringComparison.Ordinal);
        // The client is told with a fatal alert rather than left retransmitting.
        var clientError = await Assert.ThrowsAsync<TlsFatalAlertReceived>(() => client.WaitAsync(Bound));
        Assert.Equal(AlertDescription.bad_certificate, clientError.AlertDescription);
        Assert.False(pair.Server.IsConnected);
    }

    [Fact]
    public async Task Handshake_accepts_a_fingerprint_in_lowercase()
    {
        using var pair = new DtlsPair([0x0001], announcedClientFingerprint: DtlsPair.ClientCertificate.Fingerprint.ToLowerInvariant());

        Task<DtlsSrtpKeys> server = pair.Server.HandshakeAsync(CancellationToken.None);
        Task<DtlsTransport> client = pair.ConnectClientAsync();

        Assert.Equal(0x0001, (await server.WaitAsync(Bound)).ProtectionProfile);
        await client.WaitAsync(Bound);
    }

    [Fact]
    public async Task Handshake_fails_when_client_sends_no_certificate()
    {
        using var pair = new DtlsPair(DtlsPair.ChromiumProfiles, clientSendsCertificate: false);

        Task<DtlsSrtpKeys> server = pair.Server.HandshakeAsync(CancellationToken.None);
        Task<DtlsTransport> client = pair.ConnectClientAsync();

        var error = await Assert.ThrowsAsync<DtlsHandshakeException>(() => server.WaitAsync(Bound));
        Assert.Equal(DtlsHandshakeFailure.MissingClientCertificate, error.Failure);
        await Assert.ThrowsAsync<TlsFatalAlertReceived>(() => client.WaitAsync(Bound));
    }

    [Theory]
    // Only SRTP_AES128_CM_SHA1_32 offered; the server accepts AEAD_AES_128_GCM and _80.
    [InlineData(new[] { 0x0002 })]
    // No use_srtp extension at all.
    [InlineData(null)]
    public async Task Handshake_fails_without_a_common_srtp_profile(int[]? clientOffer)
    {
        using var pair = new DtlsPair(clientOffer);

        Task<DtlsSrtpKeys> server = pair.Server.HandshakeAsync(CancellationToken.None);
        Task<DtlsTransport> client = pair.ConnectClientAsync();

        var error = await Assert.ThrowsAsync<DtlsHandshakeException>(() => server.WaitAsync(Bound));
        Assert.Equal(DtlsHandshakeFailure.NoCommonSrtpProfile, error.Failure);
        var clientError = await Assert.ThrowsAsync<TlsFatalAlertReceived>(() => client.WaitAsync(Bound));
        Assert.Equal(AlertDescription.handshake_failure, clientError.AlertDescription);
    }

    [Fact]
    public async Task Garbage_datagrams_before_the_handshake_are_ignored()
    {
        using var pair = new DtlsPair(DtlsPair.ChromiumProfiles);
        var random = new Random(5764);
        // Random lengths and bytes, each forced into the DTLS first-byte range as the
        // demultiplexer would only pass those.
        for (int i = 0; i < 150; i++)
        {
            var datagram = new byte[random.Next(1, 300)];
            random.NextBytes(datagram);
            datagram[0] = (byte)random.Next(20, 64);
            pair.Server.Receive(datagram);
        }
        // handshake, DTLS 1.2, epoch 0, seq 0, length 1000 but only 2 bytes follow
        pair.Server.Receive([22, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0x03, 0xE8, 1, 0]);
        // handshake, DTLS 1.2, epoch 0, seq 1, length 4: a client_hello header cut short
        pair.Server.Receive([22, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 1, 0, 4, 1, 0, 0, 0x50]);
        // alert record in epoch 7 that has no keys
        pair.Server.Receive([21, 0xFE, 0xFD, 0, 7, 0, 0, 0, 0, 0, 0, 0, 2, 2, 40]);
        // empty datagram
        pair.Server.Receive([]);

        Task<DtlsSrtpKeys> server = pair.Server.HandshakeAsync(CancellationToken.None);
        Task<DtlsTransport> client = pair.ConnectClientAsync();

        DtlsSrtpKeys keys = await server.WaitAsync(Bound);
        await client.WaitAsync(Bound);
        Assert.Equal(pair.Client.Keys!.ClientMasterKey, keys.ClientMasterKey);
        // The torn record and the empty datagram at least never reached BouncyCastle.
        Assert.True(pair.Server.MalformedDatagrams >= 2);
    }

    [Fact]
    public async Task Handshake_times_out_on_the_time_provider_clock()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var options = new DtlsOptions { HandshakeTimeout = TimeSpan.FromSeconds(10) };
        using var pair = new DtlsPair(DtlsPair.ChromiumProfiles, options, time: time);

        Task<DtlsSrtpKeys> server = pair.Server.HandshakeAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(9));
        await Task.Delay(50);
        Assert.False(server.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(1));
        var error = await Assert.ThrowsAsync<DtlsHandshakeException>(() => server.WaitAsync(Bound));
        Assert.Equal(DtlsHandshakeFailure.Timeout, error.Failure);
        await pair.Server.Completion.WaitAsync(Bound);
    }

    [Fact]
    public async Task Handshake_is_canceled_by_its_token()
    {
        using var pair = new DtlsPair(DtlsPair.ChromiumProfiles);
        using var cancel = new CancellationTokenSource();

        Task<DtlsSrtpKeys> server = pair.Server.HandshakeAsync(cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => server.WaitAsync(Bound));
        await pair.Server.Completion.WaitAsync(Bound);
    }

    [Fact]
    public async Task Dispose_during_the_handshake_ends_it()
    {
        using var pair = new DtlsPair(DtlsPair.ChromiumProfiles);

        Task<DtlsSrtpKeys> server = pair.Server.HandshakeAsync(CancellationToken.None);
        pair.Server.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => server.WaitAsync(Bound));
        Assert.True(pair.Server.Completion.IsCompleted);
    }

    [Fact]
    public async Task Handshake_cannot_start_twice()
    {
        using var pair = new DtlsPair(DtlsPair.ChromiumProfiles);

        Task<DtlsSrtpKeys> first = pair.Server.HandshakeAsync(CancellationToken.None);
        await Assert.ThrowsAsync<InvalidOperationException>(() => pair.Server.HandshakeAsync(CancellationToken.None));
        Task<DtlsTransport> client = pair.ConnectClientAsync();
        await first.WaitAsync(Bound);
        await client.WaitAsync(Bound);
    }

    [Fact]
    public async Task Dispose_sends_close_notify_and_releases_the_reader()
    {
        using var pair = new DtlsPair(DtlsPair.ChromiumProfiles);
        var reasons = new List<string>();
        pair.Server.Closed += reasons.Add;
        Task<DtlsSrtpKeys> server = pair.Server.HandshakeAsync(CancellationToken.None);
        DtlsTransport client = await pair.ConnectClientAsync().WaitAsync(Bound);
        await server.WaitAsync(Bound);
        Assert.False(pair.Server.Completion.IsCompleted);

        pair.Server.Dispose();

        Assert.True(pair.Server.Completion.IsCompleted);
        Assert.False(pair.Server.IsConnected);
        Assert.Equal(["closed locally"], reasons);
        // On close_notify the client's record layer closes its transport, whose next read
        // then fails; a fatal alert would have surfaced as TlsFatalAlertReceived instead.
        Assert.Throws<IOException>(() => client.Receive(new byte[1500], 0, 1500, 2000));
        Assert.True(pair.Link.Closed);
    }

    [Fact]
    public async Task Client_close_notify_ends_the_association()
    {
        using var pair = new DtlsPair(DtlsPair.ChromiumProfiles);
        var closed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        pair.Server.Closed += reason => closed.TrySetResult(reason);
        Task<DtlsSrtpKeys> server = pair.Server.HandshakeAsync(CancellationToken.None);
        DtlsTransport client = await pair.ConnectClientAsync().WaitAsync(Bound);
        await server.WaitAsync(Bound);

        client.Close();

        Assert.Equal("close_notify received", await closed.Task.WaitAsync(Bound));
        await pair.Server.Completion.WaitAsync(Bound);
        Assert.False(pair.Server.IsConnected);
    }

    [Fact]
    public void Receive_drops_and_counts_datagrams_beyond_the_queue_bound()
    {
        using var pair = new DtlsPair(DtlsPair.ChromiumProfiles, new DtlsOptions { MaxQueuedDatagrams = 4 });

        for (int i = 0; i < 10; i++)
        {
            // handshake, DTLS 1.2, epoch 0, seq i, empty fragment: well framed, so it is queued
            pair.Server.Receive([22, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, (byte)i, 0, 0]);
        }

        Assert.Equal(6, pair.Server.DroppedDatagrams);
        Assert.Equal(0, pair.Server.MalformedDatagrams);
    }

    [Fact]
    public async Task Handshake_flights_fit_the_configured_mtu()
    {
        // The server's Certificate message alone is larger than this, so it must be fragmented.
        using var pair = new DtlsPair(DtlsPair.ChromiumProfiles, new DtlsOptions { Mtu = 300 });

        Task<DtlsSrtpKeys> server = pair.Server.HandshakeAsync(CancellationToken.None);
        Task<DtlsTransport> client = pair.ConnectClientAsync();
        await server.WaitAsync(Bound);
        await client.WaitAsync(Bound);

        Assert.InRange(pair.Link.LargestDatagramFromServer, 1, 300);
        // Certificate message: 13-byte record header, 12-byte handshake header, two 3-byte lengths.
        Assert.True(13 + 12 + 3 + 3 + DtlsPair.ServerCertificate.DerEncoded.Length > 300);
    }

    [Fact]
    public async Task Receive_after_the_association_ended_is_dropped_quietly()
    {
        using var pair = new DtlsPair(DtlsPair.ChromiumProfiles);
        Task<DtlsSrtpKeys> server = pair.Server.HandshakeAsync(CancellationToken.None);
        await pair.ConnectClientAsync().WaitAsync(Bound);
        await server.WaitAsync(Bound);
        pair.Server.Dispose();

        // alert, DTLS 1.2, epoch 1, seq 9, length 2, then two bytes
        pair.Server.Receive([21, 0xFE, 0xFD, 0, 1, 0, 0, 0, 0, 0, 9, 0, 2, 1, 0]);

        Assert.Equal(1, pair.Server.DroppedDatagrams);
    }

    [Fact]
    public void Constructor_rejects_unsupported_settings()
    {
        Assert.Throws<ArgumentException>(() => new DtlsServerTransport(
            DtlsPair.ServerCertificate, "md5", "AA", new DtlsOptions(), _ => ValueTask.CompletedTask, TimeProvider.System));
        Assert.Throws<ArgumentException>(() => new DtlsServerTransport(
            DtlsPair.ServerCertificate, "sha-256", "AA", new DtlsOptions { SrtpProfiles = [0x0005] },
            _ => ValueTask.CompletedTask, TimeProvider.System));
    }
}
