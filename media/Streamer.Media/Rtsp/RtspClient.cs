using System.Net;
using System.Net.Sockets;
using Streamer.Media.Interceptors;
using Streamer.Media.Rtcp;
using Streamer.Media.Rtp;

namespace Streamer.Media.Rtsp;

/// <summary>
/// An RTSP/1.0 client (RFC 2326) for one camera stream: OPTIONS, DESCRIBE (following
/// redirects), SETUP over TCP interleaved or UDP, PLAY, keep-alives within the session
/// timeout, TEARDOWN; Basic and Digest authentication; receiver reports to the camera and
/// the RTP-to-wall-clock mapping from its sender reports.
/// <para>
/// Requests run one at a time. Failures surface as <see cref="RtspException"/> from the call
/// that hit them; a failure while playing (connection closed, keep-alive unanswered) completes
/// <see cref="Terminated"/>. Nothing the camera sends makes the client throw anything else.
/// </para>
/// </summary>
public sealed class RtspClient : IAsyncDisposable
{
    private const int ReceiveBufferSize = 64 * 1024;
    private const int MaxBufferSize = RtspResponse.MaxHeaderBytes + RtspResponse.MaxBodyBytes;
    private const int UdpDatagramSize = 65536;
    private static readonly TimeSpan RtcpTick = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MinKeepAlive = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan TeardownTimeout = TimeSpan.FromSeconds(1);

    private readonly RtspClientOptions _options;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _requestGate = new(1, 1);
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly CancellationTokenSource _lifetime = new();
    private readonly Lock _stateGate = new();
    private readonly List<Task> _tasks = [];
    private readonly Dictionary<int, (RtspTrack Track, bool IsRtcp)> _channels = [];
    private readonly List<(RtspTrack Track, RtspUdpPair Pair)> _udp = [];
    private readonly TaskCompletionSource<RtspException?> _terminated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ReceiverReportGenerator _reports;
    private readonly uint _localSsrc;
    private Socket? _socket;
    private CancellationTokenSource? _connection;
    private TaskCompletionSource<RtspResponse>? _pending;
    private int _pendingCSeq;
    private int _cseq;
    private RtspAuthenticator? _authenticator;
    private IReadOnlyList<string> _public = [];
    private bool _playing;
    private bool _disposed;

    /// <summary>Creates a client for <paramref name="url"/> (rtsp://[user:password@]host[:port]/path).</summary>
    /// <exception cref="ArgumentException">The URL is not rtsp://; the message does not repeat it.</exception>
    public RtspClient(string url, RtspClientOptions? options = null, TimeProvider? time = null)
    {
        if (!RtspUrl.TryParse(url, out var parsed, out var error))
        {
            throw new ArgumentException(error, nameof(url));
        }
        Url = parsed!;
        _options = options ?? new RtspClientOptions();
        _time = time ?? TimeProvider.System;
        _localSsrc = (uint)Random.Shared.Next();
        _reports = new ReceiverReportGenerator(_options.ReceiverReports, new InterceptorContext(_time, _localSsrc));
    }

    /// <summary>The camera's URL; after a redirect, the one redirected to.</summary>
    public RtspUrl Url { get; private set; }

    /// <summary>The URL without credentials, for logs.</summary>
    public string RedactedUrl => Url.Redacted;

    public RtspClientStats Stats { get; } = new();

    public ReceiverReportStats ReceiverReports => _reports.Stats;

    /// <summary>The methods the Public header of the OPTIONS reply listed.</summary>
    public IReadOnlyList<string> PublicMethods => _public;

    public RtspDescription? Description { get; private set; }

    public RtspSessionHeader? Session { get; private set; }

    /// <summary>The RTP-Info of the PLAY reply (empty when the server sent none).</summary>
    public IReadOnlyList<RtpInfoEntry> RtpInfo { get; private set; } = [];

    /// <summary>Receives RTP of every set-up track; set before <see cref="PlayAsync"/>.</summary>
    public RtspPacketHandler? PacketHandler { get; set; }

    /// <summary>Completes when the session ends: with the error that ended it, or null when it was closed.</summary>
    public Task<RtspException?> Terminated => _terminated.Task;

    public override string ToString() => $"RtspClient {RedactedUrl}";

    /// <summary>Opens the TCP connection to the camera.</summary>
    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = new CancellationTokenSource(_options.ConnectTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token, _lifetime.Token);
        try
        {
            await socket.ConnectAsync(Url.Host, Url.Port, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new RtspException(RtspError.ConnectFailed, $"connecting to {RedactedUrl} timed out after {_options.ConnectTimeout.TotalSeconds:0.#} s");
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new RtspException(RtspError.ConnectFailed, $"cannot connect to {RedactedUrl}: {e.SocketErrorCode}", innerException: e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var connection = CancellationTokenSource.CreateLinkedTokenSource(_lifetime.Token);
        lock (_stateGate)
        {
            _socket = socket;
            _connection = connection;
        }
        Track(ReadLoopAsync(socket, connection.Token));
    }

    /// <summary>Sends OPTIONS and remembers the Public methods. Only a refused login is an error.</summary>
    public async Task<RtspResponse> OptionsAsync(CancellationToken cancellationToken = default)
    {
        var response = await SendAsync("OPTIONS", Url.Address.AbsoluteUri, null, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccess && response.GetHeader("Public") is { } methods)
        {
            _public = methods.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        }
        return response;
    }

    /// <summary>Sends DESCRIBE, following up to MaxRedirects redirects (each to a new connection).</summary>
    public async Task<RtspDescription> DescribeAsync(CancellationToken cancellationToken = default)
    {
        for (var redirects = 0; ; redirects++)
        {
            var response = await SendAsync("DESCRIBE", Url.Address.AbsoluteUri, r => r.With("Accept", "application/sdp"), cancellationToken).ConfigureAwait(false);
            if (response.StatusCode is 301 or 302 or 303 or 307)
            {
                await FollowRedirectAsync(response, redirects, cancellationToken).ConfigureAwait(false);
                continue;
            }
            EnsureSuccess(response, "DESCRIBE");
            var baseUrl = response.GetHeader("Content-Base") ?? response.GetHeader("Content-Location") ?? Url.Address.AbsoluteUri;
            if (!RtspDescription.TryCreate(response.BodyText, baseUrl, out var description, out var error))
            {
                throw new RtspException(RtspError.BadDescription, $"{RedactedUrl}: {error}");
            }
            Description = description;
            return description!;
        }
    }

    /// <summary>Sets up one track with the configured transport; the first SETUP creates the session.</summary>
    public async Task SetupAsync(RtspTrack track, CancellationToken cancellationToken = default)
    {
        RtspTransport request;
        RtspUdpPair? pair = null;
        if (_options.Transport == RtspTransportProtocol.Tcp)
        {
            request = RtspTransport.ForTcp(track.Index * 2);
        }
        else
        {
            var local = (IPEndPoint?)_socket?.LocalEndPoint ?? throw new RtspException(RtspError.ConnectionClosed, $"{RedactedUrl}: not connected");
            pair = RtspUdpPair.Bind(Plain(local.Address));
            request = RtspTransport.ForUdp(pair.RtpPort, pair.RtcpPort);
        }

        try
        {
            var response = await SendAsync("SETUP", track.ControlUrl, r => r.With("Transport", request.ToString()), cancellationToken).ConfigureAwait(false);
            EnsureSuccess(response, "SETUP");
            if (!RtspTransport.TryParse(response.GetHeader("Transport"), out var transport, out var error)
                || transport!.Protocol != request.Protocol)
            {
                throw new RtspException(RtspError.BadTransport, $"{RedactedUrl}: the SETUP reply has no usable Transport header ({error})");
            }
            if (Session is null)
            {
                if (!RtspSessionHeader.TryParse(response.GetHeader("Session"), out var session, out _))
                {
                    throw new RtspException(RtspError.BadTransport, $"{RedactedUrl}: the SETUP reply has no usable Session header");
                }
                Session = session;
            }

            if (transport.Protocol == RtspTransportProtocol.Tcp)
            {
                var channels = transport.Interleaved ?? request.Interleaved!.Value;
                lock (_stateGate)
                {
                    _channels[channels.Rtp] = (track, false);
                    _channels[channels.Rtcp] = (track, true);
                }
                track.Transport = transport with { Interleaved = channels };
            }
            else
            {
                if (transport.ServerPorts is null)
                {
                    throw new RtspException(RtspError.BadTransport, $"{RedactedUrl}: the SETUP reply names no server_port");
                }
                track.Transport = transport with { ClientPorts = request.ClientPorts };
                var remote = Plain(((IPEndPoint)_socket!.RemoteEndPoint!).Address);
                lock (_stateGate)
                {
                    _udp.Add((track, pair!));
                }
                Track(UdpLoopAsync(track, pair!.Rtp, remote, isRtcp: false, _lifetime.Token));
                Track(UdpLoopAsync(track, pair.Rtcp, remote, isRtcp: true, _lifetime.Token));
                pair = null;
            }
            if (transport.Ssrc is uint ssrc)
            {
                BindSsrc(track, ssrc);
            }
        }
        finally
        {
            pair?.Dispose();
        }
    }

    /// <summary>Starts the stream from the beginning (npt=0-) and starts keep-alives and receiver reports.</summary>
    public async Task PlayAsync(CancellationToken cancellationToken = default)
    {
        var url = AggregateUrl;
        var response = await SendAsync("PLAY", url, r => r.With("Range", "npt=0.000-"), cancellationToken).ConfigureAwait(false);
        EnsureSuccess(response, "PLAY");
        if (RtpInfoEntry.TryParse(response.GetHeader("RTP-Info"), out var entries, out _))
        {
            RtpInfo = entries;
        }
        _playing = true;
        var token = _connection!.Token;
        Track(KeepAliveLoopAsync(token));
        Track(RtcpLoopAsync(token));
    }

    /// <summary>Ends the session on the camera. Errors are reported, the connection stays usable.</summary>
    public async Task TeardownAsync(CancellationToken cancellationToken = default)
    {
        if (Session is null)
        {
            return;
        }
        _playing = false;
        try
        {
            await SendAsync("TEARDOWN", AggregateUrl, null, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Session = null;
        }
    }

    /// <summary>
    /// Maps an RTP timestamp of <paramref name="track"/> to the camera's wall clock through its
    /// last sender report. False until a sender report has arrived.
    /// </summary>
    public bool TryGetWallClock(RtspTrack track, uint rtpTimestamp, out DateTimeOffset wallClock)
    {
        wallClock = default;
        if (track.Ssrc is not uint ssrc || !_reports.TryGetSenderClock(ssrc, out var ntp, out var senderRtp))
        {
            return false;
        }
        var delta = (int)(rtpTimestamp - senderRtp);
        wallClock = NtpTime.ToDateTimeOffset(ntp) + TimeSpan.FromSeconds(delta / (double)track.ClockRate);
        return true;
    }

    private string AggregateUrl => Description?.AggregateControlUrl ?? Url.Address.AbsoluteUri;

    private async Task<RtspResponse> SendAsync(string method, string uri, Action<RtspRequest>? decorate, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var request = new RtspRequest(method, uri);
            decorate?.Invoke(request);
            var response = await ExchangeAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != 401)
            {
                return response;
            }
            Authenticate(response, attempt);
        }
    }

    private void Authenticate(RtspResponse response, int attempt)
    {
        var credentials = _options.Credentials ?? Url.Credentials;
        if (credentials is null)
        {
            throw new RtspAuthenticationException($"{RedactedUrl} requires authentication and no credentials were given");
        }
        var challenges = new List<RtspAuthChallenge>();
        foreach (var value in response.GetHeaders("WWW-Authenticate"))
        {
            if (RtspAuthChallenge.TryParse(value, out var parsed, out _))
            {
                challenges.Add(parsed!);
            }
        }
        var challenge = RtspAuthenticator.Choose(challenges);
        if (challenge is null)
        {
            throw new RtspAuthenticationException($"{RedactedUrl} offers no authentication scheme this client supports (Basic, Digest MD5)");
        }
        // A second 401 means the credentials are wrong, unless the server only says the nonce went stale.
        var stale = string.Equals(challenge.Get("stale"), "true", StringComparison.OrdinalIgnoreCase);
        if (attempt >= 2 || (attempt == 1 && !stale))
        {
            throw new RtspAuthenticationException($"{RedactedUrl} rejected the credentials");
        }
        _authenticator = new RtspAuthenticator(credentials, challenge);
    }

    private async Task<RtspResponse> ExchangeAsync(RtspRequest request, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _requestGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_terminated.Task.IsCompleted || _socket is null)
            {
                var reason = _terminated.Task.IsCompleted ? _terminated.Task.Result?.Message : null;
                throw new RtspException(RtspError.ConnectionClosed, reason ?? $"{RedactedUrl}: not connected");
            }

            var cseq = ++_cseq;
            request.Headers.Insert(0, new RtspHeader("CSeq", cseq.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            request.With("User-Agent", _options.UserAgent);
            if (Session is not null)
            {
                request.With("Session", Session.Id);
            }
            if (_authenticator is not null)
            {
                request.With("Authorization", _authenticator.Authorize(request.Method, request.Uri));
            }

            var pending = new TaskCompletionSource<RtspResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_stateGate)
            {
                _pending = pending;
                _pendingCSeq = cseq;
            }

            using var timeout = new CancellationTokenSource(_options.ResponseTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                await WriteAsync(request.ToBytes(), linked.Token).ConfigureAwait(false);
                return await pending.Task.WaitAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                var error = new RtspException(RtspError.Timeout, $"{RedactedUrl} did not answer {request.Method} within {_options.ResponseTimeout.TotalSeconds:0.#} s");
                Terminate(error);
                throw error;
            }
            catch (SocketException e)
            {
                var error = new RtspException(RtspError.ConnectionClosed, $"{RedactedUrl}: sending {request.Method} failed: {e.SocketErrorCode}", innerException: e);
                Terminate(error);
                throw error;
            }
            finally
            {
                lock (_stateGate)
                {
                    _pending = null;
                }
            }
        }
        finally
        {
            _requestGate.Release();
        }
    }

    private async Task WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        var socket = _socket ?? throw new RtspException(RtspError.ConnectionClosed, $"{RedactedUrl}: not connected");
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (!bytes.IsEmpty)
            {
                var sent = await socket.SendAsync(bytes, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                bytes = bytes[sent..];
            }
        }
        catch (ObjectDisposedException e)
        {
            throw new SocketException((int)SocketError.NotConnected, e.Message);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private async Task FollowRedirectAsync(RtspResponse response, int redirects, CancellationToken cancellationToken)
    {
        if (redirects >= _options.MaxRedirects)
        {
            throw new RtspException(RtspError.TooManyRedirects, $"{RedactedUrl}: more than {_options.MaxRedirects} redirects", response.StatusCode);
        }
        if (!RtspUrl.TryParse(response.GetHeader("Location"), out var target, out _))
        {
            throw new RtspException(RtspError.TooManyRedirects, $"{RedactedUrl}: redirect {response.StatusCode} without a usable rtsp:// Location", response.StatusCode);
        }

        // The same camera keeps its credentials when the new URL names none.
        var credentials = target!.Credentials ?? Url.Credentials;
        var text = target.Address.AbsoluteUri;
        if (credentials is not null)
        {
            text = new UriBuilder(target.Address) { UserName = Uri.EscapeDataString(credentials.UserName), Password = Uri.EscapeDataString(credentials.Password) }.Uri.AbsoluteUri;
        }
        RtspUrl.TryParse(text, out var next, out _);

        await CloseConnectionAsync().ConfigureAwait(false);
        Url = next ?? target;
        _authenticator = null;
        await ConnectAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task CloseConnectionAsync()
    {
        Socket? socket;
        CancellationTokenSource? connection;
        lock (_stateGate)
        {
            (socket, connection) = (_socket, _connection);
            (_socket, _connection) = (null, null);
        }
        if (connection is not null)
        {
            await connection.CancelAsync().ConfigureAwait(false);
        }
        socket?.Dispose();
        await DrainTasksAsync().ConfigureAwait(false);
        connection?.Dispose();
    }

    // The TCP socket is dual-mode, so an IPv4 camera shows up as ::ffff:a.b.c.d; UDP sockets use the plain address.
    private static IPAddress Plain(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private static void EnsureSuccess(RtspResponse response, string method)
    {
        if (!response.IsSuccess)
        {
            throw new RtspException(RtspError.BadStatus, $"{method} failed: {response.StatusCode} {response.ReasonPhrase}", response.StatusCode);
        }
    }

    private async Task ReadLoopAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[ReceiveBufferSize];
        var filled = 0;
        try
        {
            while (true)
            {
                var consumed = ProcessReceived(buffer.AsSpan(0, filled), out var needed);
                if (consumed < 0)
                {
                    return;
                }
                if (consumed > 0)
                {
                    buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                    filled -= consumed;
                }
                if (needed > buffer.Length || filled == buffer.Length)
                {
                    var size = Math.Max(needed, buffer.Length * 2);
                    if (size > MaxBufferSize)
                    {
                        Terminate(new RtspException(RtspError.MalformedResponse, $"{RedactedUrl} sent a message larger than {MaxBufferSize} bytes"));
                        return;
                    }
                    Array.Resize(ref buffer, size);
                }

                var received = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, cancellationToken).ConfigureAwait(false);
                if (received == 0)
                {
                    Terminate(new RtspException(RtspError.ConnectionClosed, $"{RedactedUrl} closed the connection"));
                    return;
                }
                filled += received;
                Stats.AddBytes(received);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        catch (SocketException e)
        {
            Terminate(new RtspException(RtspError.ConnectionClosed, $"{RedactedUrl}: connection lost: {e.SocketErrorCode}", innerException: e));
        }
    }

    /// <summary>
    /// Handles every complete message at the start of <paramref name="data"/>; returns the bytes
    /// used, or -1 when the stream is broken and the session was terminated.
    /// </summary>
    private int ProcessReceived(ReadOnlySpan<byte> data, out int needed)
    {
        needed = 0;
        var offset = 0;
        while (offset < data.Length)
        {
            var rest = data[offset..];
            if (rest[0] == RtspInterleavedFrame.Magic)
            {
                if (!RtspInterleavedFrame.TryUnmarshal(rest, out var frame, out _))
                {
                    break;
                }
                var size = RtspInterleavedFrame.HeaderSize + frame.Length;
                if (rest.Length < size)
                {
                    needed = size;
                    break;
                }
                OnInterleaved(frame.Channel, rest.Slice(RtspInterleavedFrame.HeaderSize, frame.Length));
                offset += size;
                continue;
            }

            if (!RtspResponse.TryParse(rest, out var response, out var consumed, out var error))
            {
                if (error == ParseError.TooShort)
                {
                    break;
                }
                Terminate(new RtspException(RtspError.MalformedResponse, $"{RedactedUrl} sent a malformed response ({error})"));
                return -1;
            }
            offset += consumed;
            OnResponse(response!);
        }
        return offset;
    }

    private void OnResponse(RtspResponse response)
    {
        TaskCompletionSource<RtspResponse>? pending;
        int expected;
        lock (_stateGate)
        {
            (pending, expected) = (_pending, _pendingCSeq);
        }
        if (response.CSeq is not int cseq)
        {
            pending?.TrySetException(new RtspException(RtspError.CSeqMismatch, $"{RedactedUrl} answered without a CSeq header", response.StatusCode));
            return;
        }
        if (pending is not null && cseq == expected)
        {
            pending.TrySetResult(response);
        }
        // Any other CSeq answers a request already given up on: ignore it.
    }

    private void OnInterleaved(byte channel, ReadOnlySpan<byte> packet)
    {
        (RtspTrack Track, bool IsRtcp) target;
        lock (_stateGate)
        {
            if (!_channels.TryGetValue(channel, out target))
            {
                Stats.AddRejected();
                return;
            }
        }
        OnPacket(target.Track, target.IsRtcp, packet, _time.GetUtcNow());
    }

    private void OnPacket(RtspTrack track, bool isRtcp, ReadOnlySpan<byte> packet, DateTimeOffset arrival)
    {
        if (isRtcp)
        {
            var packets = new List<IRtcpPacket>();
            if (!RtcpCompound.TryUnmarshal(packet, packets, out _))
            {
                Stats.AddRejected();
                return;
            }
            Stats.AddRtcp();
            foreach (var rtcp in packets)
            {
                _reports.OnRtcpReceived(rtcp, arrival);
            }
            return;
        }

        if (!RtpHeader.TryRead(packet, out var header, out _, out _))
        {
            Stats.AddRejected();
            return;
        }
        if (track.Ssrc != header.Ssrc)
        {
            BindSsrc(track, header.Ssrc);
        }
        Stats.AddRtp();
        _reports.OnRtpReceived(header, packet, arrival);
        PacketHandler?.Invoke(track, packet, arrival);
    }

    private void BindSsrc(RtspTrack track, uint ssrc)
    {
        if (track.Ssrc is uint old)
        {
            _reports.UnbindRemoteStream(old);
        }
        track.Ssrc = ssrc;
        _reports.BindRemoteStream(new StreamInfo { Ssrc = ssrc, ClockRate = (uint)track.ClockRate, PayloadType = (byte)track.PayloadType });
    }

    private async Task UdpLoopAsync(RtspTrack track, Socket socket, IPAddress server, bool isRtcp, CancellationToken cancellationToken)
    {
        var buffer = new byte[UdpDatagramSize];
        EndPoint any = new IPEndPoint(server.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        try
        {
            while (true)
            {
                var result = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, cancellationToken).ConfigureAwait(false);
                Stats.AddBytes(result.ReceivedBytes);
                if (result.RemoteEndPoint is not IPEndPoint from || !Plain(from.Address).Equals(server))
                {
                    // Only the camera may inject media into its session.
                    Stats.AddRejected();
                    continue;
                }
                OnPacket(track, isRtcp, buffer.AsSpan(0, result.ReceivedBytes), _time.GetUtcNow());
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        catch (SocketException e)
        {
            Terminate(new RtspException(RtspError.ConnectionClosed, $"{RedactedUrl}: UDP receive failed: {e.SocketErrorCode}", innerException: e));
        }
    }

    private async Task KeepAliveLoopAsync(CancellationToken cancellationToken)
    {
        var timeout = Session?.Timeout ?? RtspSessionHeader.DefaultTimeout;
        var interval = TimeSpan.FromTicks(Math.Max(MinKeepAlive.Ticks, (long)(timeout.Ticks * _options.KeepAliveFraction)));
        var method = _public.Contains("GET_PARAMETER", StringComparer.OrdinalIgnoreCase) ? "GET_PARAMETER" : "OPTIONS";
        try
        {
            while (_playing)
            {
                await Task.Delay(interval, _time, cancellationToken).ConfigureAwait(false);
                var response = await SendAsync(method, AggregateUrl, null, cancellationToken).ConfigureAwait(false);
                if (response.StatusCode == 454)
                {
                    Terminate(new RtspException(RtspError.BadStatus, $"{RedactedUrl} no longer knows the session (454)", 454));
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (RtspException e)
        {
            Terminate(e);
        }
    }

    private async Task RtcpLoopAsync(CancellationToken cancellationToken)
    {
        var writer = new CollectingWriter();
        try
        {
            while (true)
            {
                await Task.Delay(RtcpTick, _time, cancellationToken).ConfigureAwait(false);
                writer.Packets.Clear();
                _reports.OnTick(_time.GetUtcNow(), writer);
                if (writer.Packets.Count == 0)
                {
                    continue;
                }
                writer.Packets.Add(SourceDescription.ForCname(_localSsrc, "streamer"));
                var compound = new byte[RtcpCompound.MarshalSize(writer.Packets)];
                RtcpCompound.Marshal(writer.Packets, compound);
                await SendRtcpAsync(compound, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
            // The read loop reports a broken connection; a lost report is not an error of its own.
        }
        catch (RtspException)
        {
        }
    }

    private async Task SendRtcpAsync(byte[] compound, CancellationToken cancellationToken)
    {
        List<(RtspTrack Track, RtspUdpPair Pair)> udp;
        List<int> channels;
        lock (_stateGate)
        {
            udp = [.. _udp];
            channels = [.. _channels.Where(c => c.Value.IsRtcp).Select(c => c.Key)];
        }
        foreach (var channel in channels)
        {
            var framed = new byte[RtspInterleavedFrame.HeaderSize + compound.Length];
            new RtspInterleavedFrame((byte)channel, compound.Length).MarshalTo(framed);
            compound.CopyTo(framed, RtspInterleavedFrame.HeaderSize);
            await WriteAsync(framed, cancellationToken).ConfigureAwait(false);
        }
        var server = _socket?.RemoteEndPoint is IPEndPoint remote ? Plain(remote.Address) : null;
        foreach (var (track, pair) in udp)
        {
            if (server is not null && track.Transport?.ServerPorts is { } ports)
            {
                await pair.Rtcp.SendToAsync(compound, SocketFlags.None, new IPEndPoint(server, ports.Rtcp), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private void Terminate(RtspException? error)
    {
        if (!_terminated.TrySetResult(error))
        {
            return;
        }
        _playing = false;
        TaskCompletionSource<RtspResponse>? pending;
        lock (_stateGate)
        {
            pending = _pending;
        }
        pending?.TrySetException(error ?? new RtspException(RtspError.ConnectionClosed, $"{RedactedUrl}: closed"));
        try
        {
            _connection?.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private void Track(Task task)
    {
        lock (_stateGate)
        {
            _tasks.RemoveAll(t => t.IsCompleted);
            _tasks.Add(task);
        }
    }

    private async Task DrainTasksAsync()
    {
        Task[] tasks;
        lock (_stateGate)
        {
            tasks = [.. _tasks];
            _tasks.Clear();
        }
        await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    /// <summary>Sends TEARDOWN if a session is open and the connection alive, then closes everything and waits for the loops.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        if (Session is not null && !_terminated.Task.IsCompleted && _socket is not null)
        {
            using var timeout = new CancellationTokenSource(TeardownTimeout, _time);
            try
            {
                await TeardownAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (RtspException)
            {
            }
            catch (OperationCanceledException)
            {
            }
        }
        _disposed = true;
        _terminated.TrySetResult(null);
        await _lifetime.CancelAsync().ConfigureAwait(false);
        Socket? socket;
        List<(RtspTrack Track, RtspUdpPair Pair)> udp;
        lock (_stateGate)
        {
            socket = _socket;
            udp = [.. _udp];
            _udp.Clear();
        }
        socket?.Dispose();
        foreach (var (_, pair) in udp)
        {
            pair.Dispose();
        }
        await DrainTasksAsync().ConfigureAwait(false);
        _connection?.Dispose();
        _lifetime.Dispose();
        _requestGate.Dispose();
        _writeGate.Dispose();
    }

    private sealed class CollectingWriter : IRtcpWriter
    {
        public List<IRtcpPacket> Packets { get; } = [];

        public void Write(IRtcpPacket packet) => Packets.Add(packet);
    }
}
