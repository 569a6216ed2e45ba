using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Threading.Channels;
using Streamer.Media.Codecs;
using Streamer.Media.Dtls;
using Streamer.Media.Ice;
using Streamer.Media.Interceptors;
using Streamer.Media.Rtcp;
using Streamer.Media.Rtp;
using Streamer.Media.Sdp;
using Streamer.Media.Srtp;

namespace Streamer.Media.WebRtc;

/// <summary>
/// One WebRTC peer on its own UDP socket: ICE-lite answers the browser's checks,
/// DTLS yields the SRTP keys, SRTP packets are unprotected, RTCP feedback runs through the
/// interceptors, and complete encoded frames come out of <see cref="VideoFrames"/>.
/// When audio is answered sendrecv, <see cref="AudioSender"/> speaks back on it.
/// This type glues the protocol layers; each layer does its own work.
/// </summary>
public sealed class WebRtcPeer : IAsyncDisposable
{
    private const int MaxRemoteStreams = 8;

    private readonly WebRtcPeerOptions _options;
    private readonly TimeProvider _time;
    private readonly Socket _socket;
    private readonly DatagramReader _reader;
    private readonly IceLiteAgent _ice;
    private readonly DtlsServerTransport _dtls;
    private readonly InterceptorChain _interceptors;
    private readonly RtcpBatch _rtcp = new();
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<EncodedFrame> _videoFrames;
    private readonly Channel<EncodedFrame> _audioFrames;
    private readonly VideoTrackReceiver? _video;
    private readonly Dictionary<uint, MediaKind> _remoteStreams = [];
    // RTX SSRC to the primary SSRC its packets restore to.
    private readonly Dictionary<uint, uint> _rtxStreams = [];
    private readonly byte[] _restoreBuffer;
    private readonly long _createdAt;
    private readonly byte[] _sendBuffer;
    private readonly byte[] _rtpSendBuffer;
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SrtpContext? _inbound;
    private SrtpContext? _outbound;
    private IPEndPoint? _dtlsRemote;
    private Task? _handshake;
    private uint? _videoSsrc;
    private int _keyframeWanted;
    private int _disposed;

    private WebRtcPeer(WebRtcPeerOptions options, TimeProvider time, Socket socket, SdpAnswer answer, string localUfrag, string localPwd, DtlsCertificate certificate, uint audioSsrc)
    {
        _options = options;
        _time = time;
        _socket = socket;
        _reader = new DatagramReader(socket, options.MaxDatagramSize, options.ReceiveQueueDatagrams, time, Stats);
        _createdAt = time.GetTimestamp();
        _sendBuffer = new byte[options.MaxDatagramSize + 64];
        _rtpSendBuffer = new byte[options.MaxDatagramSize + 64];
        _restoreBuffer = new byte[options.MaxDatagramSize];
        Answer = answer;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;

        _ice = new IceLiteAgent(localUfrag, localPwd, answer.RemoteIceUfrag, answer.RemoteIcePwd, time, options.Ice);
        _dtls = new DtlsServerTransport(certificate, answer.RemoteFingerprintAlgorithm, answer.RemoteFingerprint, options.Dtls, SendDtlsAsync, time);
        _dtls.Closed += reason => Close(PeerState.Closed, $"DTLS: {reason}");

        var registry = new InterceptorRegistry();
        DefaultInterceptors.Register(registry, options.Interceptors);
        _interceptors = registry.Build(new InterceptorContext(time, RandomSsrc()));
        _interceptors.BindRtcpWriter(_rtcp);

        _videoFrames = Channel.CreateBounded<EncodedFrame>(
            new BoundedChannelOptions(options.VideoFrameQueue) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true, SingleWriter = true },
            dropped =>
            {
                Stats.VideoFrameDropped();
                dropped.Dispose();
                // The decoder will miss a reference frame; ask for a fresh start.
                Interlocked.Exchange(ref _keyframeWanted, 1);
            });
        _audioFrames = Channel.CreateBounded<EncodedFrame>(
            new BoundedChannelOptions(options.AudioFrameQueue) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = true },
            dropped => dropped.Dispose());

        VideoMedia = answer.Media.FirstOrDefault(m => m.Kind == MediaKind.Video);
        AudioMedia = answer.Media.FirstOrDefault(m => m.Kind == MediaKind.Audio);
        if (VideoMedia is not null) _video = new VideoTrackReceiver(VideoMedia, options.Jitter, _videoFrames.Writer, Stats);
        if (AudioMedia is { Direction: MediaDirection.SendRecv or MediaDirection.SendOnly } speaking) AudioSender = CreateAudioSender(speaking, audioSsrc);
    }

    public SdpAnswer Answer { get; }

    /// <summary>The answer SDP to return to the offerer.</summary>
    public string AnswerSdp => Answer.Answer.ToString();

    public NegotiatedMedia? VideoMedia { get; }

    public NegotiatedMedia? AudioMedia { get; }

    public VideoCodec? VideoCodec => _video?.Codec;

    /// <summary>Why the peer cannot speak although sending audio was asked for (libopus missing); null otherwise.</summary>
    public string? SendAudioUnavailable { get; private init; }

    /// <summary>Speaks on the audio track; null when audio was not answered sendrecv or sendonly.</summary>
    public AudioSender? AudioSender { get; }

    public IPEndPoint LocalEndPoint { get; }

    public PeerState State { get; private set; } = PeerState.New;

    /// <summary>Why the peer ended; null while it runs.</summary>
    public string? CloseReason { get; private set; }

    public WebRtcPeerStats Stats { get; } = new();

    public FrameAssemblerStats? JitterStats => _video?.JitterStats;

    public IceCounters IceCounters => _ice.Counters;

    /// <summary>Complete encoded video frames in decode order. Completes when the peer ends.</summary>
    public ChannelReader<EncodedFrame> VideoFrames => _videoFrames.Reader;

    /// <summary>Opus frames; the oldest is dropped when nobody keeps up.</summary>
    public ChannelReader<EncodedFrame> AudioFrames => _audioFrames.Reader;

    public event Action<PeerState>? StateChanged;

    /// <summary>
    /// Answers <paramref name="offerSdp"/> and binds the peer's socket. Returns false with a
    /// message a client can act on when the offer is malformed or has nothing in common.
    /// </summary>
    public static bool TryCreate(string offerSdp, DtlsCertificate certificate, WebRtcPeerOptions options, TimeProvider time,
        out WebRtcPeer? peer, out string error)
    {
        peer = null;
        if (!SessionDescription.TryParse(offerSdp, out var offer, out var parseError))
        {
            error = $"Malformed SDP offer: {parseError}";
            return false;
        }

        var socket = Bind(options, out error);
        if (socket is null) return false;

        var local = (IPEndPoint)socket.LocalEndPoint!;
        var candidate = new IPEndPoint(options.CandidateAddress ?? local.Address, local.Port);
        var ufrag = RandomToken(8);
        var pwd = RandomToken(24);
        var audioSsrc = RandomSsrc();
        // Without libopus the server cannot speak: answer the audio recvonly and say why, rather than fail the peer.
        string? sendAudioUnavailable = null;
        if (options.SendAudio && (options.OpusProbe ?? ProbeOpus)() is (false, var opusError))
        {
            sendAudioUnavailable = $"audio answered recvonly, answers are text only: {opusError}";
            options = options with { SendAudio = false };
        }
        var answerOptions = new AnswerOptions
        {
            IceUfrag = ufrag,
            IcePwd = pwd,
            FingerprintAlgorithm = certificate.FingerprintAlgorithm,
            Fingerprint = certificate.Fingerprint,
            Candidate = candidate,
            VideoCodecs = options.VideoCodecs,
            AcceptAudio = options.AcceptAudio,
            AcceptRtx = options.AcceptRtx,
            AudioDirection = options.SendAudio ? MediaDirection.SendRecv : MediaDirection.RecvOnly,
            AudioSendSsrc = options.SendAudio ? audioSsrc : null,
            StreamId = options.SendAudio ? RandomToken(12) : null,
        };
        if (!SdpAnswerer.TryCreateAnswer(offer!, answerOptions, out var answer, out error))
        {
            socket.Dispose();
            return false;
        }
        try
        {
            peer = new WebRtcPeer(options, time, socket, answer!, ufrag, pwd, certificate, audioSsrc) { SendAudioUnavailable = sendAudioUnavailable };
            return true;
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            socket.Dispose();
            error = ex.Message;
            return false;
        }
    }

    /// <summary>Whether libopus loads and makes an encoder.</summary>
    private static (bool Ok, string Error) ProbeOpus()
    {
        try
        {
            using var encoder = new OpusEncoder(1);
            return (true, "");
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            return (false, $"libopus is not available ({ex.Message})");
        }
    }

    /// <summary>Runs the peer until it closes or <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var link = cancellationToken.Register(() => Close(PeerState.Closed, "closed locally"));
        var read = _reader.RunAsync(_stop.Token);
        var process = ProcessLoopAsync(_stop.Token);
        var tick = TickLoopAsync(_stop.Token);
        var speak = SpeakLoopAsync(_stop.Token);
        try
        {
            await Task.WhenAll(read, process, tick, speak).ConfigureAwait(false);
        }
        finally
        {
            if (_handshake is { } handshake) await handshake.ConfigureAwait(false);
            _videoFrames.Writer.TryComplete();
            _audioFrames.Writer.TryComplete();
        }
    }

    /// <summary>Asks the sender for a keyframe (decoder error, dropped frame); rate-limited by the interceptor.</summary>
    public void RequestKeyframe() => Interlocked.Exchange(ref _keyframeWanted, 1);

    /// <summary>Ends the peer; the first reason given wins.</summary>
    public void Close(PeerState state, string reason)
    {
        lock (_gate)
        {
            if (State is PeerState.Closed or PeerState.Failed) return;
            State = state;
            CloseReason = reason;
        }
        StateChanged?.Invoke(state);
        _stop.Cancel();
    }

    private AudioSender CreateAudioSender(NegotiatedMedia audio, uint ssrc)
    {
        var stereo = audio.Codec.Fmtp?.Split(';').Any(p => p.Trim().Equals("stereo=1", StringComparison.OrdinalIgnoreCase)) == true;
        var sender = new AudioSender(_options.AudioSender with { Channels = stereo ? 2 : 1 }, ssrc, (byte)audio.Codec.PayloadType, new RtpSink(this, retransmission: false), _time);
        // Sender reports and NACK answers activate for this stream once it is bound.
        _interceptors.BindRtpWriter(new RtpSink(this, retransmission: true));
        _interceptors.BindLocalStream(new StreamInfo
        {
            Ssrc = ssrc,
            ClockRate = (uint)audio.Codec.ClockRate,
            PayloadType = (byte)audio.Codec.PayloadType,
            MimeType = $"audio/{audio.Codec.Name}",
            RtcpFeedback = audio.Feedback,
            HeaderExtensions = audio.HeaderExtensions,
        });
        return sender;
    }

    /// <summary>Speaks once the SRTP keys exist; audio queued earlier waits instead of being lost.</summary>
    private async Task SpeakLoopAsync(CancellationToken stop)
    {
        if (AudioSender is null) return;
        try
        {
            await _connected.Task.WaitAsync(stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        await AudioSender.RunAsync(stop).ConfigureAwait(false);
    }

    /// <summary>Protects one plain RTP packet with the outbound context and sends it to the selected remote.</summary>
    private void SendRtp(ReadOnlySpan<byte> plain, bool retransmission)
    {
        lock (_gate)
        {
            var srtp = _outbound;
            var remote = _dtlsRemote ?? _ice.SelectedRemote;
            if (srtp is null || remote is null || State != PeerState.Connected)
            {
                Stats.Reject("rtp-out", "not-connected");
                return;
            }
            if (plain.Length + srtp.RtpOverhead > _rtpSendBuffer.Length || !RtpHeader.TryRead(plain, out var header, out _, out _))
            {
                Stats.Reject("rtp-out", "bad-packet");
                return;
            }
            // A resent packet is already in the history and the sender report counts.
            if (!retransmission) _interceptors.OnRtpSent(header, plain, _time.GetUtcNow());
            if (!srtp.TryProtectRtp(plain, _rtpSendBuffer, out var written))
            {
                Stats.Reject("rtp-out", "protect-failed");
                return;
            }
            SendRaw(_rtpSendBuffer.AsSpan(0, written), remote);
            Stats.RtpSentOne(retransmission);
        }
    }

    private sealed class RtpSink(WebRtcPeer peer, bool retransmission) : IRtpWriter
    {
        public void Write(ReadOnlySpan<byte> packet) => peer.SendRtp(packet, retransmission);
    }

    /// <summary>Processes what the reader stamped and queued; arrival times travel with the datagrams.</summary>
    private async Task ProcessLoopAsync(CancellationToken stop)
    {
        var response = new byte[512];
        try
        {
            await foreach (var datagram in _reader.Datagrams.ReadAllAsync(stop).ConfigureAwait(false))
            {
                try
                {
                    HandleDatagram(datagram.Span, datagram.From, response, datagram.Arrival);
                }
                finally
                {
                    DatagramReader.Return(datagram);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void HandleDatagram(Span<byte> datagram, IPEndPoint from, Span<byte> response, DateTimeOffset arrival)
    {
        Stats.Datagram(datagram.Length);
        switch (DatagramClassifier.Classify(datagram))
        {
            case DatagramKind.Stun:
                HandleStun(datagram, from, response);
                break;
            case DatagramKind.Dtls:
                HandleDtls(datagram, from);
                break;
            case DatagramKind.Rtp:
                HandleRtp(datagram, from, arrival);
                break;
            case DatagramKind.Rtcp:
                HandleRtcp(datagram, from, arrival);
                break;
            default:
                Stats.Reject("demux", "unknown-first-byte");
                break;
        }
    }

    private void HandleStun(ReadOnlySpan<byte> datagram, IPEndPoint from, Span<byte> response)
    {
        Stats.Stun();
        var result = _ice.HandleStun(datagram, from, response);
        if (result.ResponseLength > 0) SendRaw(response[..result.ResponseLength], from);
        if (!result.IsValidCheck)
        {
            Stats.Reject("stun", result.Error.ToString());
            return;
        }
        WebRtcMetrics.PacketsReceived.Add(1, new KeyValuePair<string, object?>("protocol", "stun"));
        if (State == PeerState.New) SetState(PeerState.Connecting);
    }

    private void HandleDtls(ReadOnlySpan<byte> datagram, IPEndPoint from)
    {
        // Only an address that passed a connectivity check may speak DTLS (RFC 8445 consent).
        if (_ice.TimeSinceLastCheck(from) is null)
        {
            Stats.Reject("dtls", "unverified-address");
            return;
        }
        Stats.Dtls();
        _dtlsRemote = from;
        _dtls.Receive(datagram);
        _handshake ??= HandshakeAsync(_stop.Token);
    }

    private async Task HandshakeAsync(CancellationToken stop)
    {
        try
        {
            var keys = await _dtls.HandshakeAsync(stop).ConfigureAwait(false);
            var profile = (SrtpProfile)keys.ProtectionProfile;
            var inbound = SrtpContext.Create(profile, keys.ClientMasterKey, keys.ClientMasterSalt);
            var outbound = SrtpContext.Create(profile, keys.ServerMasterKey, keys.ServerMasterSalt);
            lock (_gate)
            {
                _inbound = inbound;
                _outbound = outbound;
            }
            SetState(PeerState.Connected);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (DtlsHandshakeException ex)
        {
            Close(PeerState.Failed, $"DTLS handshake failed ({ex.Failure}): {ex.Message}");
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private void HandleRtp(Span<byte> datagram, IPEndPoint from, DateTimeOffset now)
    {
        var srtp = _inbound;
        if (srtp is null)
        {
            Stats.Reject("srtp", "no-keys-yet");
            return;
        }
        if (_ice.TimeSinceLastCheck(from) is null)
        {
            Stats.Reject("rtp", "unverified-address");
            return;
        }
        lock (_gate)
        {
            if (!srtp.TryUnprotectRtp(datagram, out var length, out var srtpError))
            {
                Stats.Reject("srtp", srtpError.ToString());
                return;
            }
            var plain = datagram[..length];
            if (!RtpHeader.TryRead(plain, out var header, out _, out var rtpError))
            {
                Stats.Reject("rtp", rtpError.ToString());
                return;
            }
            if (VideoMedia?.Rtx is { } rtx && header.PayloadType == rtx.PayloadType)
            {
                HandleRtx(plain, header, now);
                return;
            }
            var kind = KindOf(header);
            if (kind is null)
            {
                Stats.Reject("rtp", "unknown-payload-type");
                return;
            }
            if (!EnsureRemoteStream(header, kind.Value)) return;

            Stats.Rtp();
            _interceptors.OnRtpReceived(header, plain, now);
            var payload = plain[header.PayloadOffset..(plain.Length - header.PaddingSize)];
            if (kind == MediaKind.Video)
            {
                Stats.VideoRtp(plain.Length);
                // Padding-only packets go to the jitter buffer too: they occupy sequence numbers.
                _video!.OnRtp(header.SequenceNumber, header.Timestamp, header.Marker, payload, now);
            }
            else if (payload.IsEmpty)
            {
                // Audio padding (probing) carries nothing to decode.
            }
            else if (OpusDepacketizer.TryDepacketize(payload, header.Timestamp, now, out var audio, out var opusError))
            {
                Stats.AudioFrame();
                _audioFrames.Writer.TryWrite(audio!);
            }
            else
            {
                Stats.Reject("rtp", $"Opus:{opusError}");
            }
        }
    }

    /// <summary>
    /// An RTX packet (RFC 4588): the interceptors see it on its own stream (its transport-wide
    /// sequence number must be acknowledged, probes included), then the original packet it carries
    /// is restored and takes the primary stream's path, where the NACK generator counts it recovered.
    /// </summary>
    private void HandleRtx(ReadOnlySpan<byte> plain, in RtpHeader header, DateTimeOffset now)
    {
        if (!EnsureRtxStream(header.Ssrc, out var primary)) return;
        Stats.Rtp();
        Stats.VideoRtp(plain.Length);
        _interceptors.OnRtpReceived(header, plain, now);
        if (!RtxPayload.TryUnmarshal(plain[header.PayloadOffset..(plain.Length - header.PaddingSize)], out var rtx, out var error))
        {
            Stats.Reject("rtx", error.ToString());
            return;
        }
        if (rtx.IsPaddingOnly)
        {
            Stats.RtxPadding();
            return;
        }
        var video = VideoMedia!;
        var restored = _restoreBuffer.AsSpan(0, rtx.RestoreTo(plain, header, (byte)video.Codec.PayloadType, primary, _restoreBuffer));
        if (!RtpHeader.TryRead(restored, out var original, out _, out var rtpError))
        {
            Stats.Reject("rtx", rtpError.ToString());
            return;
        }
        if (!EnsureRemoteStream(original, MediaKind.Video)) return;
        _interceptors.OnRtpRestored(original, restored, now);
        var accepted = _video!.OnRtp(original.SequenceNumber, original.Timestamp, original.Marker, restored[original.PayloadOffset..], now);
        Stats.RetransmissionReceived(accepted);
    }

    /// <summary>
    /// The primary SSRC an RTX SSRC restores to: paired by the offer's FID group, or learned from
    /// the first RTX packet as the video stream's (a browser that sends one video stream).
    /// </summary>
    private bool EnsureRtxStream(uint ssrc, out uint primary)
    {
        if (_rtxStreams.TryGetValue(ssrc, out primary)) return true;
        var video = VideoMedia!;
        if (_remoteStreams.ContainsKey(ssrc))
        {
            Stats.Reject("rtx", "primary-ssrc");
            return false;
        }
        if (!video.Rtx!.Ssrcs.TryGetValue(ssrc, out primary))
        {
            uint? known = _videoSsrc ?? (video.RemoteSsrcs.Count == 1 ? video.RemoteSsrcs[0] : null);
            if (known is null)
            {
                // Nothing to restore to until the primary stream is known; the sender will NACK-resend again.
                Stats.Reject("rtx", "unknown-primary-stream");
                return false;
            }
            primary = known.Value;
        }
        if (_remoteStreams.Count + _rtxStreams.Count >= MaxRemoteStreams)
        {
            Stats.Reject("rtp", "too-many-streams");
            return false;
        }
        _rtxStreams[ssrc] = primary;
        // Receiver reports and congestion feedback cover the RTX stream; NACKs and keyframe
        // requests are about the primary stream only.
        _interceptors.BindRemoteStream(new StreamInfo
        {
            Ssrc = ssrc,
            ClockRate = (uint)video.Rtx.ClockRate,
            PayloadType = (byte)video.Rtx.PayloadType,
            MimeType = "video/rtx",
            RtcpFeedback = video.Feedback.Where(f => f.Equals("transport-cc", StringComparison.OrdinalIgnoreCase)).ToList(),
            HeaderExtensions = video.HeaderExtensions,
        });
        return true;
    }

    private MediaKind? KindOf(in RtpHeader header)
    {
        if (VideoMedia is { } video && header.PayloadType == video.Codec.PayloadType) return MediaKind.Video;
        if (AudioMedia is { } audio && header.PayloadType == audio.Codec.PayloadType) return MediaKind.Audio;
        return null;
    }

    private bool EnsureRemoteStream(in RtpHeader header, MediaKind kind)
    {
        if (_remoteStreams.TryGetValue(header.Ssrc, out var known)) return known == kind;
        if (_remoteStreams.Count + _rtxStreams.Count >= MaxRemoteStreams)
        {
            Stats.Reject("rtp", "too-many-streams");
            return false;
        }
        var media = kind == MediaKind.Video ? VideoMedia! : AudioMedia!;
        _remoteStreams[header.Ssrc] = kind;
        _interceptors.BindRemoteStream(new StreamInfo
        {
            Ssrc = header.Ssrc,
            ClockRate = (uint)media.Codec.ClockRate,
            PayloadType = (byte)media.Codec.PayloadType,
            MimeType = $"{(kind == MediaKind.Video ? "video" : "audio")}/{media.Codec.Name}",
            RtcpFeedback = media.Feedback,
            HeaderExtensions = media.HeaderExtensions,
        });
        if (kind == MediaKind.Video) _videoSsrc ??= header.Ssrc;
        return true;
    }

    private void HandleRtcp(Span<byte> datagram, IPEndPoint from, DateTimeOffset now)
    {
        var srtp = _inbound;
        if (srtp is null)
        {
            Stats.Reject("srtcp", "no-keys-yet");
            return;
        }
        if (_ice.TimeSinceLastCheck(from) is null)
        {
            Stats.Reject("rtcp", "unverified-address");
            return;
        }
        lock (_gate)
        {
            if (!srtp.TryUnprotectRtcp(datagram, out var length, out var srtpError))
            {
                Stats.Reject("srtcp", srtpError.ToString());
                return;
            }
            var packets = new List<IRtcpPacket>(4);
            if (!RtcpCompound.TryUnmarshal(datagram[..length], packets, out var rtcpError))
            {
                Stats.Reject("rtcp", rtcpError.ToString());
                return;
            }
            Stats.Rtcp();
            foreach (var packet in packets) _interceptors.OnRtcpReceived(packet, now);
        }
    }

    private async Task TickLoopAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(_options.TickInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false)) Tick();
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Tick()
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            _interceptors.OnTick(now, _rtcp);
            if (_video is not null)
            {
                _video.Tick(now);
                var wanted = _video.TakeKeyframeRequest() | Interlocked.Exchange(ref _keyframeWanted, 0) == 1;
                if (wanted && _videoSsrc is { } ssrc)
                {
                    WebRtcMetrics.KeyframeRequests.Add(1);
                    _interceptors.RequestKeyframe(ssrc);
                }
            }
            FlushRtcp();
            RefreshFeedbackStats();
        }

        var elapsed = _time.GetElapsedTime(_createdAt);
        if (State == PeerState.New && elapsed > _options.ConnectTimeout)
            Close(PeerState.Failed, $"No ICE connectivity check within {_options.ConnectTimeout.TotalSeconds:0.#} s.");
        else if (State == PeerState.Connected && _ice.IsConsentExpired)
            Close(PeerState.Failed, "ICE consent expired: the browser stopped answering.");
    }

    private void FlushRtcp()
    {
        var srtp = _outbound;
        var remote = _dtlsRemote ?? _ice.SelectedRemote;
        if (srtp is null || remote is null)
        {
            // Feedback decided before the keys exist is stale by the time they do.
            _rtcp.Drain(static _ => { });
            return;
        }
        _rtcp.Drain(packet =>
        {
            var plainLength = packet.MarshalSize;
            if (plainLength + srtp.RtcpOverhead > _sendBuffer.Length)
            {
                Stats.Reject("rtcp-out", "too-large");
                return;
            }
            var plain = _sendBuffer.AsSpan(0, plainLength);
            packet.MarshalTo(plain);
            if (!srtp.TryProtectRtcp(plain, _sendBuffer, out var written))
            {
                Stats.Reject("rtcp-out", "protect-failed");
                return;
            }
            SendRaw(_sendBuffer.AsSpan(0, written), remote);
            Stats.RtcpSentOne();
        });
    }

    private void RefreshFeedbackStats()
    {
        if (_interceptors.Find<NackGenerator>() is { } nacks)
        {
            Stats.NacksSent = nacks.Stats.NacksSent;
            Stats.PacketsRecovered = nacks.Stats.Recovered;
            Stats.NackedSequenceNumbers = nacks.Stats.SequenceNumbersRequested;
            Stats.NackGivenUp = nacks.Stats.GivenUp;
        }
        if (_interceptors.Find<KeyframeRequester>() is { } keyframes)
            Stats.KeyframeRequestsSent = keyframes.Stats.PliSent + keyframes.Stats.FirSent;
        if (_videoSsrc is { } video && _interceptors.Find<ReceiverReportGenerator>() is { } reports && reports.TryGetReception(video, out var reception))
        {
            Stats.VideoPacketsLost = reception.PacketsLost;
            Stats.VideoJitterMs = Math.Round(reception.JitterMs, 2);
        }
        if (_video is not null) Stats.JitterFramesDropped = _video.JitterStats.FramesDropped;
    }

    private void SendRaw(ReadOnlySpan<byte> datagram, IPEndPoint to)
    {
        try
        {
            _socket.SendTo(datagram, SocketFlags.None, to);
        }
        catch (SocketException ex)
        {
            Stats.Reject("udp-out", ex.SocketErrorCode.ToString());
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async ValueTask SendDtlsAsync(ReadOnlyMemory<byte> datagram)
    {
        var remote = _dtlsRemote ?? _ice.SelectedRemote;
        if (remote is null) return;
        try
        {
            await _socket.SendToAsync(datagram, SocketFlags.None, remote).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            Stats.Reject("udp-out", ex.SocketErrorCode.ToString());
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private void SetState(PeerState state)
    {
        lock (_gate)
        {
            if (State is PeerState.Closed or PeerState.Failed || State == state) return;
            State = state;
        }
        if (state == PeerState.Connected) _connected.TrySetResult();
        StateChanged?.Invoke(state);
    }

    private static Socket? Bind(WebRtcPeerOptions options, out string error)
    {
        var first = options.PortMin;
        var last = options.PortMax == 0 ? options.PortMin : options.PortMax;
        for (var port = first; port <= last; port++)
        {
            var socket = new Socket(options.BindAddress.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                socket.Bind(new IPEndPoint(options.BindAddress, port));
                // Room for bursts of a keyframe at high bitrate while the receive loop is busy.
                socket.ReceiveBufferSize = 4 * 1024 * 1024;
                error = "";
                return socket;
            }
            catch (SocketException)
            {
                socket.Dispose();
            }
        }
        error = first == 0
            ? $"Could not bind a UDP socket on {options.BindAddress}."
            : $"No free UDP port in {first}-{last} on {options.BindAddress} (WebRtc:PortMin/PortMax).";
        return null;
    }

    private static string RandomToken(int length)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        return RandomNumberGenerator.GetString(alphabet, length);
    }

    private static uint RandomSsrc() => (uint)RandomNumberGenerator.GetInt32(1, int.MaxValue);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        Close(PeerState.Closed, "closed locally");
        if (_handshake is { } handshake)
        {
            try { await handshake.ConfigureAwait(false); } catch (ObjectDisposedException) { }
        }
        _dtls.Dispose();
        _socket.Dispose();
        AudioSender?.Dispose();
        lock (_gate)
        {
            _inbound?.Dispose();
            _outbound?.Dispose();
            _video?.Dispose();
        }
        _reader.Discard();
        while (_videoFrames.Reader.TryRead(out var frame)) frame.Dispose();
        while (_audioFrames.Reader.TryRead(out var frame)) frame.Dispose();
        _stop.Dispose();
    }
}
