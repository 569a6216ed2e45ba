using Streamer.Media.Codecs;

namespace Streamer.Server.Voice;

/// <summary>
/// Decodes a mono Opus stream in RTP timestamp order, filling what was lost. The 32-bit
/// timestamps are unwrapped against the newest packet (a signed difference, so wrap and
/// reordering both come out right). A packet that starts later than the decoded audio ends
/// leaves a gap: up to the conceal limit it is synthesized by libopus (packet-loss concealment,
/// and in-band FEC from the arriving packet for the frame just before it); the rest is handed
/// on as silence. A packet that starts earlier (late, reordered or duplicated) is dropped,
/// since its time has already been played. There is no jitter buffer: audio is decoded as it
/// arrives so voice activity is judged without delay.
/// </summary>
public sealed class OpusConcealer : IDisposable
{
    private const int Rate = OpusDecoder.SampleRate;
    // libopus conceals whole multiples of 2.5 ms.
    private const int ConcealStep = Rate / 400;

    private readonly OpusDecoder _decoder = new(1);
    private readonly int _maxConcealSamples;
    private readonly short[] _pcm = new short[OpusDecoder.MaxFrameSize];
    private readonly float[] _concealed;
    private readonly float[] _decoded = new float[OpusDecoder.MaxFrameSize];
    private int _concealedLength;
    private int _decodedLength;
    private long _newest;
    private long _expected;
    private bool _seen;

    public OpusConcealer(int maxConcealMilliseconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxConcealMilliseconds);
        _maxConcealSamples = (int)((long)maxConcealMilliseconds * Rate / 1000);
        _concealed = new float[_maxConcealSamples + ConcealStep];
    }

    /// <summary>Unwrapped RTP timestamp of the first packet received (any packet, decodable or not); null before one.</summary>
    public long? FirstTimestamp { get; private set; }

    /// <summary>Unwrapped RTP timestamp where the handed-out audio begins: the first packet that decoded.</summary>
    public long? AudioStart { get; private set; }

    /// <summary>Audio synthesized for the gap before the last packet (48 kHz mono); it comes before <see cref="SilenceSamples"/>.</summary>
    public ReadOnlySpan<float> Concealed => _concealed.AsSpan(0, _concealedLength);

    /// <summary>The rest of that gap, beyond the conceal limit: silence, after <see cref="Concealed"/> and before <see cref="Decoded"/>.</summary>
    public long SilenceSamples { get; private set; }

    /// <summary>The last packet's own audio (48 kHz mono).</summary>
    public ReadOnlySpan<float> Decoded => _decoded.AsSpan(0, _decodedLength);

    /// <summary>The libopus error of the last packet when it was <see cref="OpusPacketOutcome.Rejected"/>.</summary>
    public int Error { get; private set; }

    /// <summary>
    /// Takes the next packet as it arrived. Afterwards <see cref="Concealed"/>,
    /// <see cref="SilenceSamples"/> and <see cref="Decoded"/>, in that order, continue the audio.
    /// </summary>
    public OpusPacketOutcome Receive(ReadOnlySpan<byte> packet, uint rtpTimestamp)
    {
        _concealedLength = 0;
        _decodedLength = 0;
        SilenceSamples = 0;
        Error = 0;
        var timestamp = _seen ? _newest + unchecked((int)(rtpTimestamp - (uint)_newest)) : rtpTimestamp;
        if (!_seen)
        {
            _seen = true;
            _newest = timestamp;
            FirstTimestamp = timestamp;
        }
        if (AudioStart is not null && timestamp < _expected) return OpusPacketOutcome.Late;
        _newest = Math.Max(_newest, timestamp);

        // A malformed packet is treated as lost: the next good one conceals its time.
        var duration = OpusDecoder.PacketSamples(packet);
        if (duration <= 0) return Reject(duration);

        if (AudioStart is null)
        {
            AudioStart = timestamp;
        }
        else if (timestamp > _expected)
        {
            Conceal(packet, timestamp - _expected, duration);
        }
        _expected = timestamp;

        var decoded = _decoder.Decode(packet, _pcm);
        if (decoded < 0) return Reject(decoded);
        ToFloat(_pcm.AsSpan(0, decoded), _decoded);
        _decodedLength = decoded;
        _expected = timestamp + decoded;
        return OpusPacketOutcome.Decoded;
    }

    private void Conceal(ReadOnlySpan<byte> next, long gap, int nextDuration)
    {
        var conceal = (int)Math.Min(gap, _maxConcealSamples);
        // FEC rebuilds the frame right before the next packet, so only when the gap is concealed to its end.
        var fec = conceal == gap && OpusDecoder.MayCarryFec(next)
            ? Math.Min(nextDuration, conceal) / ConcealStep * ConcealStep
            : 0;
        var plc = conceal - fec;
        var written = 0;
        while (plc - written >= ConcealStep)
        {
            var step = Math.Min(OpusDecoder.FrameSize, (plc - written) / ConcealStep * ConcealStep);
            Synthesized(_decoder.DecodeLost(_pcm, step), step, written);
            written += step;
        }
        // A remainder under 2.5 ms (timestamps off the frame grid) is too short to conceal.
        Array.Clear(_concealed, written, plc - written);
        written = plc;
        if (fec > 0) Synthesized(_decoder.DecodeFec(next, _pcm, fec), fec, written);
        _concealedLength = conceal;
        SilenceSamples = gap - conceal;
    }

    // Concealment cannot fail on valid sizes; should it, silence keeps the timeline whole.
    private void Synthesized(int result, int wanted, int at)
    {
        var got = Math.Clamp(result, 0, wanted);
        ToFloat(_pcm.AsSpan(0, got), _concealed.AsSpan(at));
        Array.Clear(_concealed, at + got, wanted - got);
    }

    private OpusPacketOutcome Reject(int error)
    {
        Error = error;
        return OpusPacketOutcome.Rejected;
    }

    private static void ToFloat(ReadOnlySpan<short> pcm, Span<float> destination)
    {
        for (var i = 0; i < pcm.Length; i++) destination[i] = pcm[i] / 32768f;
    }

    public void Dispose() => _decoder.Dispose();
}
