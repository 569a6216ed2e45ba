using Streamer.Media.Codecs;

namespace Streamer.Server.Voice;

/// <summary>
/// One microphone's audio, from Opus packets to voice activity on the RTP clock: the
/// <see cref="OpusConcealer"/> fills lost packets, the audio is resampled to 16 kHz and the
/// <see cref="VoiceActivityDetector"/> cuts utterances. Because every lost stretch is filled
/// (concealed, or a silent <see cref="VoiceActivityDetector.Gap"/> beyond the limit), the
/// detector's sample count advances exactly with the RTP timestamps, and
/// <see cref="MediaTime"/> maps it to the session's clock: the first packet's arrival plus
/// the timestamp advance. Loss therefore never shifts the time of what is said later.
/// </summary>
public sealed class VoiceListener : IDisposable
{
    private const int InputRate = OpusDecoder.SampleRate;
    private const int Ratio = InputRate / VoiceActivityDetector.SampleRate;

    private readonly VoiceStats _stats;
    private readonly OpusConcealer _concealer;
    private readonly PolyphaseResampler _resampler = new(InputRate, VoiceActivityDetector.SampleRate);
    private readonly VoiceActivityDetector _detector;
    private float[] _resampled = [];
    private double? _origin;
    // Silence not yet handed to the detector because it is under one 16 kHz sample.
    private long _silenceRemainder;

    public VoiceListener(VoiceOptions options, VoiceStats stats)
    {
        _stats = stats;
        _concealer = new OpusConcealer(options.MaxConcealMilliseconds);
        _detector = new VoiceActivityDetector(options);
    }

    /// <summary>
    /// Takes one packet that arrived at <paramref name="arrivalSeconds"/> of media time; voice
    /// activity it completes is added to <paramref name="events"/>.
    /// </summary>
    public OpusPacketOutcome Receive(ReadOnlySpan<byte> packet, uint rtpTimestamp, double arrivalSeconds, List<VoiceActivityEvent> events)
    {
        _stats.Packet();
        // The clock is set by the first packet whatever it holds; timestamps carry it from there.
        _origin ??= arrivalSeconds;
        var outcome = _concealer.Receive(packet, rtpTimestamp);
        if (outcome == OpusPacketOutcome.Late)
        {
            _stats.Late();
            return outcome;
        }
        if (!_concealer.Concealed.IsEmpty || _concealer.SilenceSamples > 0)
        {
            _stats.Gap(_concealer.Concealed.Length, _concealer.SilenceSamples, InputRate);
            Feed(_concealer.Concealed, events);
            Silence(_concealer.SilenceSamples, events);
        }
        Feed(_concealer.Decoded, events);
        return outcome;
    }

    /// <summary>The stream ended: an utterance in progress is cut.</summary>
    public void Flush(List<VoiceActivityEvent> events) => _detector.Flush(events);

    /// <summary>Media time in seconds of the detector's 16 kHz sample <paramref name="sample"/>.</summary>
    public double MediaTime(long sample)
    {
        var audioStart = _concealer.AudioStart - _concealer.FirstTimestamp ?? 0;
        return (_origin ?? 0) + audioStart / (double)InputRate + sample / (double)VoiceActivityDetector.SampleRate;
    }

    /// <summary>The libopus error of the last rejected packet.</summary>
    public int LastError => _concealer.Error;

    private void Feed(ReadOnlySpan<float> audio, List<VoiceActivityEvent> events)
    {
        if (audio.IsEmpty) return;
        var room = _resampler.MaxOutputLength(audio.Length);
        if (_resampled.Length < room) _resampled = new float[room];
        var written = _resampler.Process(audio, _resampled);
        _detector.Process(_resampled.AsSpan(0, written), events);
    }

    private void Silence(long samples, List<VoiceActivityEvent> events)
    {
        if (samples == 0) return;
        _silenceRemainder += samples;
        var output = _silenceRemainder / Ratio;
        _silenceRemainder -= output * Ratio;
        _detector.Gap(output, events);
    }

    public void Dispose() => _concealer.Dispose();
}
