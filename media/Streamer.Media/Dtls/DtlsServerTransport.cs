using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using Org.BouncyCastle.Security;

namespace Streamer.Media.Dtls;

/// <summary>
/// The DTLS-SRTP server side of one peer connection (RFC 6347, RFC 5764). A demultiplexer feeds
/// it the DTLS datagrams from the shared UDP socket through <see cref="Receive"/>; it answers
/// through the send callback. BouncyCastle's API is blocking, so the handshake and, after it,
/// the reader that notices the client's close_notify or alert run on one dedicated thread.
/// </summary>
public sealed class DtlsServerTransport : IDisposable
{
    // After the handshake only alerts and stray retransmissions arrive; this is plenty.
    private const int ReaderBufferSize = 2048;

    private readonly DtlsCertificate _certificate;
    private readonly string _remoteFingerprintAlgorithm;
    private readonly string _remoteFingerprint;
    private readonly DtlsOptions _options;
    private readonly TimeProvider _time;
    private readonly QueuedDatagramTransport _transport;
    private readonly TaskCompletionSource<DtlsSrtpKeys> _handshake =
        new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();

    private State _state = State.Created;
    private AbortReason _abortReason;
    private DtlsTransport? _dtls;
    private int _workerThreadId;

    public DtlsServerTransport(
        DtlsCertificate certificate,
        string remoteFingerprintAlgorithm,
        string remoteFingerprint,
        DtlsOptions options,
        Func<ReadOnlyMemory<byte>, ValueTask> send,
        TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(send);
        ArgumentNullException.ThrowIfNull(time);
        if (!DtlsCertificate.IsSupportedFingerprintAlgorithm(remoteFingerprintAlgorithm))
            throw new ArgumentException($"Unsupported fingerprint hash function '{remoteFingerprintAlgorithm}'.", nameof(remoteFingerprintAlgorithm));
        ArgumentException.ThrowIfNullOrWhiteSpace(remoteFingerprint);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxQueuedDatagrams, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Mtu, 256);
        if (options.SrtpProfiles.Count == 0 || options.SrtpProfiles.Any(p => !SrtpProtectionProfiles.TryGetKeyLengths(p, out _, out _)))
            throw new ArgumentException("SrtpProfiles must list supported profiles only.", nameof(options));

        _certificate = certificate;
        _remoteFingerprintAlgorithm = remoteFingerprintAlgorithm;
        _remoteFingerprint = remoteFingerprint.Trim();
        _options = options;
        _time = time;
        _transport = new QueuedDatagramTransport(options.MaxQueuedDatagrams, options.Mtu, send);
    }

    private enum State { Created, Handshaking, Connected, Closed }

    private enum AbortReason { None, Timeout, Canceled, Disposed }

    /// <summary>
    /// Raised once, on the transport's thread, when an established association ends: the client
    /// sent close_notify or a fatal alert, or the transport was disposed. The argument says which.
    /// </summary>
    public event Action<string>? Closed;

    /// <summary>Completes when the handshake thread has exited, whatever the outcome.</summary>
    public Task Completion => _completion.Task;

    /// <summary>True between a successful handshake and the end of the association.</summary>
    public bool IsConnected
    {
        get { lock (_gate) return _state == State.Connected; }
    }

    /// <summary>Datagrams dropped because the queue was full or the association was over.</summary>
    public long DroppedDatagrams => _transport.Dropped;

    /// <summary>Datagrams refused before reaching BouncyCastle because they are not whole DTLS records.</summary>
    public long MalformedDatagrams => _transport.Malformed;

    /// <summary>Sends whose callback threw.</summary>
    public long SendFailures => _transport.SendFailures;

    /// <summary>Hands over one datagram whose first byte is in the DTLS range. Never blocks or throws.</summary>
    public void Receive(ReadOnlySpan<byte> datagram) => _transport.Enqueue(datagram);

    /// <summary>
    /// Runs the server handshake and returns the SRTP keys. Fails with
    /// <see cref="DtlsHandshakeException"/> when the handshake fails or times out, with
    /// <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> fires,
    /// and with <see cref="ObjectDisposedException"/> when the transport is disposed meanwhile.
    /// </summary>
    public async Task<DtlsSrtpKeys> HandshakeAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_state == State.Closed, this);
            if (_state != State.Created)
                throw new InvalidOperationException("The handshake was already started.");
            _state = State.Handshaking;
        }

        using var timeout = new CancellationTokenSource(_options.HandshakeTimeout, _time);
        using CancellationTokenRegistration onTimeout = timeout.Token.Register(() => Abort(AbortReason.Timeout));
        using CancellationTokenRegistration onCancel = cancellationToken.Register(() => Abort(AbortReason.Canceled));

        // Not awaited here: the thread outlives the handshake as the reader; Completion tracks it.
        _ = Task.Factory.StartNew(Run, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        try
        {
            return await _handshake.Task.ConfigureAwait(false);
        }
        catch (Exception) when (_abortReason == AbortReason.Canceled)
        {
            throw new OperationCanceledException("The DTLS handshake was canceled.", cancellationToken);
        }
    }

    /// <summary>
    /// Ends the association: sends close_notify when connected, stops the handshake or the
    /// reader, and waits briefly for its thread to leave BouncyCastle.
    /// </summary>
    public void Dispose()
    {
        DtlsTransport? dtls;
        lock (_gate)
        {
            if (_state == State.Closed)
                return;
            State previous = _state;
            _state = State.Closed;
            if (previous == State.Handshaking)
                _abortReason = AbortReason.Disposed;
            dtls = previous == State.Connected ? _dtls : null;
            if (previous == State.Created)
                _completion.TrySetResult();
        }

        if (dtls is not null)
        {
            // Close before waking the reader so that its wake-up finds the record layer closed
            // and does not answer with an internal_error alert after our close_notify.
            try
            {
                dtls.Close();
            }
            catch (IOException)
            {
                // The peer may be gone already; nothing to tell it.
            }
            RaiseClosed("closed locally");
        }

        _transport.Shut();

        if (Environment.CurrentManagedThreadId != Volatile.Read(ref _workerThreadId))
            _completion.Task.Wait(TimeSpan.FromSeconds(2));
    }

    private void Abort(AbortReason reason)
    {
        lock (_gate)
        {
            if (_state != State.Handshaking)
                return;
            _abortReason = reason;
        }
        _transport.Shut();
    }

    private void Run()
    {
        Volatile.Write(ref _workerThreadId, Environment.CurrentManagedThreadId);
        try
        {
            DtlsTransport? dtls = Accept();
            if (dtls is not null)
                ReadUntilClosed(dtls);
        }
        finally
        {
            _completion.TrySetResult();
        }
    }

    private DtlsTransport? Accept()
    {
        var server = new SrtpDtlsServer(
            new BcTlsCrypto(new SecureRandom()),
            _certificate,
            _remoteFingerprintAlgorithm,
            _remoteFingerprint,
            _options.SrtpProfiles);

        DtlsTransport dtls;
        try
        {
            dtls = new DtlsServerProtocol().Accept(server, _transport);
        }
        catch (Exception e)
        {
            _handshake.TrySetException(DescribeFailure(server, e));
            return null;
        }

        lock (_gate)
        {
            if (_state != State.Handshaking)
            {
                // Timed out, canceled or disposed just as the last flight arrived.
                _handshake.TrySetException(DescribeFailure(server, new IOException("Aborted after completion.")));
                try
                {
                    dtls.Close();
                }
                catch (IOException)
                {
                }
                return null;
            }
            _state = State.Connected;
            _dtls = dtls;
        }

        _handshake.TrySetResult(server.Keys!);
        return dtls;
    }

    private Exception DescribeFailure(SrtpDtlsServer server, Exception error)
    {
        switch (_abortReason)
        {
            case AbortReason.Timeout:
                return new DtlsHandshakeException(DtlsHandshakeFailure.Timeout,
                    $"The DTLS handshake did not complete within {_options.HandshakeTimeout.TotalSeconds:0.###} s.", error);
            case AbortReason.Disposed:
                return new ObjectDisposedException(nameof(DtlsServerTransport), "Disposed during the DTLS handshake.");
            case AbortReason.Canceled:
                return new OperationCanceledException("The DTLS handshake was canceled.", error);
        }

        if (server.PolicyFailure is { } policy)
            return new DtlsHandshakeException(policy.Failure, policy.Message, error);

        if (server.ReceivedFatalAlert is { } alert)
        {
            return new DtlsHandshakeException(DtlsHandshakeFailure.AlertReceived,
                $"The DTLS client aborted the handshake with alert {AlertDescription.GetText(alert)}.", error);
        }

        return new DtlsHandshakeException(DtlsHandshakeFailure.ProtocolError,
            $"The DTLS handshake failed: {error.Message}", error);
    }

    private void ReadUntilClosed(DtlsTransport dtls)
    {
        var buffer = new byte[ReaderBufferSize];
        string reason;
        while (true)
        {
            try
            {
                // Application data (e.g. SCTP) is not used by this server; reading only drives
                // the record layer so that alerts and retransmitted flights are handled.
                dtls.Receive(buffer, 0, buffer.Length, 0);
            }
            catch (TlsFatalAlertReceived e)
            {
                reason = $"fatal alert {AlertDescription.GetText(e.AlertDescription)} received";
                break;
            }
            catch (Exception e)
            {
                reason = _transport.ClosedByProtocol ? "close_notify received" : $"transport failed: {e.Message}";
                break;
            }
        }

        lock (_gate)
        {
            if (_state != State.Connected)
                return; // Dispose already reported it.
            _state = State.Closed;
        }
        _transport.Shut();
        RaiseClosed(reason);
    }

    private void RaiseClosed(string reason) => Closed?.Invoke(reason);
}
