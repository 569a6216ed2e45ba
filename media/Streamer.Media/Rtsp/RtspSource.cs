using System.Threading.Channels;
using Streamer.Media.Codecs;
using Streamer.Media.Rtp;

namespace Streamer.Media.Rtsp;

/// <summary>
/// A camera as a stream of <see cref="EncodedFrame"/>s: opens an RTSP session, depacketizes
/// the video track through a <see cref="FrameAssembler"/> and writes finished frames to one
/// output for its whole life. When the camera or the network drops (connection closed, no
/// answer, no RTP for StallTimeout) it reconnects with exponential backoff and jitter and
/// keeps writing to the same output, so whatever reads it carries on.
/// <para>
/// The source is the output's only writer: it completes it when <see cref="RunAsync"/> ends,
/// with the error when the source failed. Credentials never appear in <see cref="ToString"/>,
/// <see cref="RedactedUrl"/> or any error.
/// </para>
/// </summary>
public sealed class RtspSource
{
    private static readonly TimeSpan StallCheckInterval = TimeSpan.FromMilliseconds(200);

    private readonly RtspSourceOptions _options;
    private readonly ChannelWriter<EncodedFrame> _output;
    private readonly TimeProvider _time;
    private readonly Random _jitter;
    private readonly string _url;
    private readonly Lock _gate = new();
    private RtspSourceState _state = RtspSourceState.Connecting;

    /// <exception cref="ArgumentException">The URL is not rtsp://; the message does not repeat it.</exception>
    public RtspSource(RtspSourceOptions options, ChannelWriter<EncodedFrame> output, TimeProvider? time = null)
    {
        if (!RtspUrl.TryParse(options.Url, out var url, out var error))
        {
            throw new ArgumentException(error, nameof(options));
        }
        _options = options;
        _output = output;
        _time = time ?? TimeProvider.System;
        _jitter = options.JitterSeed is int seed ? new Random(seed) : new Random();
        _url = options.Url;
        RedactedUrl = url!.Redacted;
    }

    public string RedactedUrl { get; }

    public RtspSourceState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <summary>The error behind the last Retrying or Failed state.</summary>
    public RtspException? LastError { get; private set; }

    public RtspSourceStats Stats { get; } = new();

    /// <summary>Raised on the source's own task at every state change; handlers must not block.</summary>
    public event EventHandler<RtspSourceStateChangedEventArgs>? StateChanged;

    public override string ToString() => $"RtspSource {RedactedUrl} ({State})";

    /// <summary>
    /// Runs until <paramref name="cancellationToken"/> is cancelled or the source fails; never
    /// throws. The output is completed when it returns.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        var first = true;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                if (!first)
                {
                    Stats.AddReconnect();
                }
                first = false;
                SetState(RtspSourceState.Connecting, null);
                RtspException error;
                try
                {
                    error = await RunSessionAsync(() => failures = 0, cancellationToken).ConfigureAwait(false);
                }
                catch (RtspException e)
                {
                    error = e;
                }

                if (cancellationToken.IsCancellationRequested)
                {
                    break;
                }
                failures++;
                if (IsPermanent(error) || (_options.MaxAttempts > 0 && failures >= _options.MaxAttempts))
                {
                    SetState(RtspSourceState.Failed, error);
                    _output.TryComplete(error);
                    return;
                }
                SetState(RtspSourceState.Retrying, error);
                await Task.Delay(Backoff(failures), _time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        _output.TryComplete();
    }

    /// <summary>The wait before retry number <paramref name="failures"/>: exponential, capped, with "equal jitter" (half fixed, half random).</summary>
    internal TimeSpan Backoff(int failures)
    {
        var exponent = Math.Min(failures - 1, 30);
        var ceiling = Math.Min(_options.MaxBackoff.Ticks, _options.InitialBackoff.Ticks * (1L << exponent));
        if (ceiling <= 0)
        {
            return TimeSpan.Zero;
        }
        double random;
        lock (_jitter)
        {
            random = _jitter.NextDouble();
        }
        return TimeSpan.FromTicks((ceiling / 2) + (long)(random * (ceiling / 2)));
    }

    private static bool IsPermanent(RtspException error) =>
        error.Error is RtspError.AuthenticationFailed or RtspError.UnsupportedCodec;

    private async Task<RtspException> RunSessionAsync(Action onPlaying, CancellationToken cancellationToken)
    {
        var clientOptions = _options.Client;
        if (_options.UserName is not null)
        {
            clientOptions = new RtspClientOptions
            {
                Transport = clientOptions.Transport,
                Credentials = new RtspCredentials(_options.UserName, _options.Password ?? ""),
                ConnectTimeout = clientOptions.ConnectTimeout,
                ResponseTimeout = clientOptions.ResponseTimeout,
                MaxRedirects = clientOptions.MaxRedirects,
                UserAgent = clientOptions.UserAgent,
                ReceiverReports = clientOptions.ReceiverReports,
                KeepAliveFraction = clientOptions.KeepAliveFraction,
            };
        }

        var client = new RtspClient(_url, clientOptions, _time);
        await using var clientScope = client.ConfigureAwait(false);
        await client.ConnectAsync(cancellationToken).ConfigureAwait(false);
        await client.OptionsAsync(cancellationToken).ConfigureAwait(false);
        var description = await client.DescribeAsync(cancellationToken).ConfigureAwait(false);
        var track = description.Video
            ?? throw new RtspException(RtspError.BadDescription, $"{RedactedUrl} describes no video track");
        if (!RtspDepacketizers.TryCreate(track, out var depacketizer, out var codecError))
        {
            throw new RtspException(RtspError.UnsupportedCodec, $"{RedactedUrl}: {codecError}");
        }

        using var assembler = new FrameAssembler(depacketizer!, _options.Assembler);
        var lastPacket = _time.GetUtcNow();
        var assemblerGate = new Lock();
        client.PacketHandler = (packetTrack, packet, arrival) =>
        {
            if (packetTrack != track || !RtpHeader.TryRead(packet, out var header, out var headerLength, out _)
                || header.PayloadType != track.PayloadType)
            {
                return;
            }
            Stats.AddPacket(packet.Length);
            lock (assemblerGate)
            {
                lastPacket = arrival;
                assembler.Insert(header.SequenceNumber, header.Timestamp, header.Marker,
                    packet[headerLength..(packet.Length - header.PaddingSize)], arrival);
                Drain(assembler);
            }
        };

        await client.SetupAsync(track, cancellationToken).ConfigureAwait(false);
        await client.PlayAsync(cancellationToken).ConfigureAwait(false);
        lock (assemblerGate)
        {
            lastPacket = _time.GetUtcNow();
        }
        SetState(RtspSourceState.Playing, null);
        onPlaying();

        while (true)
        {
            var tick = Task.Delay(StallCheckInterval, _time, cancellationToken);
            if (await Task.WhenAny(client.Terminated, tick).ConfigureAwait(false) == client.Terminated)
            {
                return client.Terminated.Result
                    ?? new RtspException(RtspError.ConnectionClosed, $"{RedactedUrl}: the session ended");
            }
            await tick.ConfigureAwait(false);
            var now = _time.GetUtcNow();
            lock (assemblerGate)
            {
                // Lets a frame blocked on a lost packet be given up even when nothing arrives.
                assembler.Advance(now);
                Drain(assembler);
                if (now - lastPacket > _options.StallTimeout)
                {
                    return new RtspException(RtspError.Stalled, $"{RedactedUrl}: no RTP for {_options.StallTimeout.TotalSeconds:0.#} s");
                }
            }
        }
    }

    private void Drain(FrameAssembler assembler)
    {
        while (assembler.TryDequeue(out var frame))
        {
            if (_output.TryWrite(frame))
            {
                Stats.AddFrame();
            }
            else
            {
                frame.Dispose();
                Stats.AddDropped();
            }
        }
    }

    private void SetState(RtspSourceState state, RtspException? error)
    {
        RtspSourceState previous;
        lock (_gate)
        {
            previous = _state;
            _state = state;
            if (error is not null)
            {
                LastError = error;
            }
        }
        if (previous != state)
        {
            StateChanged?.Invoke(this, new RtspSourceStateChangedEventArgs(previous, state, error));
        }
    }
}
