using System.Security.Cryptography;
using System.Threading.Channels;
using Streamer.Media.Codecs;
using Streamer.Media.Interceptors;
using Streamer.Media.Rtp;

namespace Streamer.Media.WebRtc;

/// <summary>
/// Speaks on a WebRTC audio track: PCM chunks (24 kHz float by default) are resampled to
/// 48 kHz, encoded as 20 ms Opus frames and written as RTP (RFC 7587), paced in real time
/// with a small lead. One RTP stream carries every answer: sequence numbers never skip, and
/// between answers the timestamp advances by the silent wall time, with the marker set on
/// the first packet of each talk-spurt (RFC 3551 section 4.1).
/// </summary>
public sealed class AudioSender : IDisposable
{
    private const int FrameSamples = OpusEncoder.FrameSize;
    private static readonly TimeSpan FrameDuration = TimeSpan.FromMilliseconds(20);
    // Opus looks 6.5 ms ahead; an answer's end is pushed through with this much silence.
    private const int EncoderLookahead = 312;
    // Silent frames after an interrupt's fade, so the receiver's concealment has real
    // silence to extend instead of stretching the cut-off speech.
    private const int SilentFramesAfterInterrupt = 3;

    private readonly AudioSenderOptions _options;
    private readonly IRtpWriter _writer;
    private readonly TimeProvider _time;
    private readonly Channel<Chunk> _queue;
    private readonly PolyphaseResampler _resampler;
    private readonly OpusEncoder _encoder;
    private readonly Lock _gate = new();
    private readonly RtpPacket _packet;
    private readonly short[] _frame;
    private readonly byte[] _opus = new byte[OpusEncoder.MaxPacketSize];
    private readonly byte[] _rtp;
    private readonly long _frameTicks;
    private readonly long _leadTicks;

    private float[] _pending = new float[FrameSamples * 8];
    private int _pendingCount;
    private float[] _resampled = [];
    private int _generation;
    private bool _talking;
    private bool _sentAny;
    private long _nextDue;
    private long _lastDue;
    private int _disposed;

    public AudioSender(AudioSenderOptions options, uint ssrc, byte payloadType, IRtpWriter writer, TimeProvider time)
    {
        if (!options.IsValid) throw new ArgumentException("Invalid audio sender options.", nameof(options));
        _options = options;
        _writer = writer;
        _time = time;
        Ssrc = ssrc;
        PayloadType = payloadType;
        _queue = Channel.CreateBounded<Chunk>(new BoundedChannelOptions(options.QueueChunks)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
        _resampler = new PolyphaseResampler(options.InputSampleRate, OpusEncoder.SampleRate);
        _encoder = new OpusEncoder(options.Channels, options.BitRate);
        _frame = new short[FrameSamples * options.Channels];
        _rtp = new byte[RtpHeader.FixedSize + options.Mtu];
        _frameTicks = (long)(FrameDuration.TotalSeconds * time.TimestampFrequency);
        _leadTicks = (long)(options.Lead.TotalSeconds * time.TimestampFrequency);
        _packet = new RtpPacket
        {
            PayloadType = payloadType,
            Ssrc = ssrc,
            SequenceNumber = (ushort)RandomNumberGenerator.GetInt32(ushort.MaxValue + 1),
            Timestamp = (uint)RandomNumberGenerator.GetInt32(int.MaxValue),
        };
    }

    public uint Ssrc { get; }

    public byte PayloadType { get; }

    public int Channels => _options.Channels;

    public AudioSenderStats Stats { get; } = new();

    /// <summary>Sequence number the next packet will carry.</summary>
    public ushort NextSequenceNumber
    {
        get { lock (_gate) return _packet.SequenceNumber; }
    }

    /// <summary>
    /// Queues a chunk of mono PCM in [-1, 1] at <see cref="AudioSenderOptions.InputSampleRate"/>
    /// (copied), waiting while the queue is full. <paramref name="endOfAnswer"/> pushes the
    /// resampler's and encoder's delay out after it, so the answer's last samples are heard.
    /// </summary>
    public async ValueTask EnqueueAsync(ReadOnlyMemory<float> pcm, bool endOfAnswer = false, CancellationToken cancellationToken = default)
    {
        var chunk = new Chunk(pcm.ToArray(), endOfAnswer, Volatile.Read(ref _generation));
        Stats.Queued(chunk.Samples.Length);
        try
        {
            await _queue.Writer.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Stats.Dequeued(chunk.Samples.Length);
            throw;
        }
    }

    /// <summary>Queues a chunk like <see cref="EnqueueAsync"/>, or returns false at once when the queue is full.</summary>
    public bool TryEnqueue(ReadOnlyMemory<float> pcm, bool endOfAnswer = false)
    {
        var chunk = new Chunk(pcm.ToArray(), endOfAnswer, Volatile.Read(ref _generation));
        Stats.Queued(chunk.Samples.Length);
        if (_queue.Writer.TryWrite(chunk)) return true;
        Stats.Dequeued(chunk.Samples.Length);
        return false;
    }

    /// <summary>
    /// Stops speaking: queued audio is dropped, including chunks whose enqueue started before
    /// this call. While a talk-spurt is on the wire, the next 20 ms fade to zero and a few
    /// silent frames follow, so the browser stops cleanly instead of concealing a cut.
    /// Audio queued after this call is the next answer and starts from a clean resampler.
    /// </summary>
    public void Interrupt()
    {
        lock (_gate)
        {
            Interlocked.Increment(ref _generation);
            long droppedSamples48k = _pendingCount;
            while (_queue.Reader.TryRead(out var chunk))
            {
                Stats.Dequeued(chunk.Samples.Length);
                droppedSamples48k += (long)chunk.Samples.Length * OpusEncoder.SampleRate / _options.InputSampleRate;
            }
            _resampler.Reset();
            var fade = _talking ? Math.Min(_pendingCount, FrameSamples) : 0;
            droppedSamples48k -= fade;
            Stats.Dropped((droppedSamples48k + FrameSamples - 1) / FrameSamples);
            Stats.Interrupted();
            _pendingCount = 0;
            if (_talking)
            {
                var tail = FrameSamples * (1 + SilentFramesAfterInterrupt);
                EnsurePending(tail);
                _pending.AsSpan(fade, tail - fade).Clear();
                for (var i = 0; i < fade; i++) _pending[i] *= 1 - (i + 1f) / fade;
                _pendingCount = tail;
            }
        }
    }

    /// <summary>Sends packets in real time until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var wait = Pump();
                if (wait is { } delay) await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                else if (!await _queue.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false)) return;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Sends every packet due by now plus the lead. Returns how long until the next one is
    /// due, or null when nothing is queued (wait for audio).
    /// </summary>
    internal TimeSpan? Pump()
    {
        lock (_gate)
        {
            if (_disposed != 0) return null;
            var now = _time.GetTimestamp();
            while (true)
            {
                if (!_talking)
                {
                    if (!Fill()) return null;
                    StartTalkSpurt(now);
                }
                if (_nextDue - _leadTicks > now) return Ticks(_nextDue - _leadTicks - now);
                if (!Fill())
                {
                    // The frame is not due yet: the producer may still deliver it in time.
                    if (_nextDue > now) return Ticks(_nextDue - now);
                    if (_pendingCount == 0)
                    {
                        _talking = false;
                        return null;
                    }
                    Stats.Underrun();
                    _pending.AsSpan(_pendingCount, FrameSamples - _pendingCount).Clear();
                    _pendingCount = FrameSamples;
                }
                SendFrame();
            }
        }
    }

    /// <summary>Pulls queued chunks until a whole frame is pending; false when the queue ran dry first.</summary>
    private bool Fill()
    {
        while (_pendingCount < FrameSamples)
        {
            if (!_queue.Reader.TryRead(out var chunk)) return false;
            Stats.Dequeued(chunk.Samples.Length);
            if (chunk.Generation != Volatile.Read(ref _generation)) continue;
            Resample(chunk.Samples);
            if (chunk.EndOfAnswer) FlushAnswer();
        }
        return true;
    }

    private void Resample(ReadOnlySpan<float> input)
    {
        var needed = _resampler.MaxOutputLength(input.Length);
        if (_resampled.Length < needed) _resampled = new float[needed];
        var written = _resampler.Process(input, _resampled);
        Append(_resampled.AsSpan(0, written));
    }

    private void FlushAnswer()
    {
        // Zeros through the filter bring out the samples still inside it.
        Span<float> silence = stackalloc float[(int)Math.Ceiling(_resampler.DelayOutputSamples * _options.InputSampleRate / OpusEncoder.SampleRate) + 1];
        silence.Clear();
        Resample(silence);
        _resampler.Reset();
        var tail = EncoderLookahead;
        var partial = (_pendingCount + tail) % FrameSamples;
        if (partial != 0) tail += FrameSamples - partial;
        EnsurePending(_pendingCount + tail);
        _pending.AsSpan(_pendingCount, tail).Clear();
        _pendingCount += tail;
    }

    private void Append(ReadOnlySpan<float> samples)
    {
        EnsurePending(_pendingCount + samples.Length);
        samples.CopyTo(_pending.AsSpan(_pendingCount));
        _pendingCount += samples.Length;
    }

    private void EnsurePending(int length)
    {
        if (_pending.Length < length) Array.Resize(ref _pending, Math.Max(length, 2 * _pending.Length));
    }

    private void StartTalkSpurt(long now)
    {
        if (_sentAny)
        {
            // The RTP clock keeps running through the silence, so receivers see the true gap.
            var silentSamples = (long)(Ticks(now - _lastDue).TotalSeconds * OpusEncoder.SampleRate);
            _packet.Timestamp += (uint)Math.Max(0, silentSamples - FrameSamples);
            if (now < _lastDue + _frameTicks) now = _lastDue + _frameTicks;
        }
        _talking = true;
        _nextDue = now;
        _packet.Marker = true;
    }

    private void SendFrame()
    {
        var channels = _options.Channels;
        for (var i = 0; i < FrameSamples; i++)
        {
            var sample = (short)Math.Clamp(MathF.Round(_pending[i] * short.MaxValue), short.MinValue, short.MaxValue);
            for (var c = 0; c < channels; c++) _frame[i * channels + c] = sample;
        }
        _pendingCount -= FrameSamples;
        _pending.AsSpan(FrameSamples, _pendingCount).CopyTo(_pending);

        var length = _encoder.Encode(_frame, _opus);
        Stats.Encoded();
        if (length > _options.Mtu)
        {
            Stats.Oversize();
        }
        else
        {
            _packet.Payload = _opus.AsMemory(0, length);
            var size = _packet.MarshalTo(_rtp);
            _writer.Write(_rtp.AsSpan(0, size));
            Stats.Sent(size);
            _packet.Marker = false;
            // Only sent packets take a sequence number, so receivers never see a false loss.
            _packet.SequenceNumber++;
        }
        _packet.Timestamp += FrameSamples;
        _lastDue = _nextDue;
        _nextDue += _frameTicks;
        _sentAny = true;
    }

    private TimeSpan Ticks(long timestampDelta) =>
        TimeSpan.FromSeconds((double)timestampDelta / _time.TimestampFrequency);

    public void Dispose()
    {
        lock (_gate)
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
            _queue.Writer.TryComplete();
            _encoder.Dispose();
        }
    }

    private sealed record Chunk(float[] Samples, bool EndOfAnswer, int Generation);
}
