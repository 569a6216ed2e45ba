namespace Streamer.Server.Voice;

/// <summary>
/// Cuts 16 kHz mono audio into utterances, 20 ms frame by frame. A frame is speech when its
/// energy stands <see cref="VoiceOptions.ThresholdDb"/> above an adaptive noise floor (and above
/// <see cref="VoiceOptions.MinSpeechDbfs"/>) and it repeats at a voice's pitch period
/// (<see cref="Voicing"/>) as noise does not. Speech for <see cref="VoiceOptions.StartMilliseconds"/> starts an utterance;
/// silence for <see cref="VoiceOptions.HangoverMilliseconds"/> ends it at the last speech frame.
/// The floor follows the background only outside speech: down within a few frames, up with
/// <see cref="VoiceOptions.NoiseAdaptSeconds"/>, so a steady hum or fan never triggers.
/// </summary>
public sealed class VoiceActivityDetector
{
    public const int SampleRate = 16000;
    public const int FrameSamples = SampleRate / 50;
    private const double FrameSeconds = FrameSamples / (double)SampleRate;
    private const double SilenceDbfs = -120;
    private const double FallRate = 0.2;

    private enum State
    {
        Silence,
        Speech,
        // Cut at the maximum length: the rest of this speech is ignored until a pause.
        Overflow,
    }

    private readonly VoiceOptions _options;
    private Voicing _voicing = new(SampleRate, FrameSamples);
    private readonly float[] _frame = new float[FrameSamples];
    private readonly List<float> _audio = [];
    private readonly int _startFrames;
    private readonly int _hangoverFrames;
    private readonly long _minSamples;
    private readonly long _maxSamples;
    private readonly int _preRollSamples;
    private readonly double _riseRate;
    private int _frameFill;
    private long _audioStart;
    private long _position;
    private State _state;
    private int _speechRun;
    private long _runStart;
    private long _speechStart;
    private long _lastSpeechEnd;
    private int _silenceRun;

    public VoiceActivityDetector(VoiceOptions options)
    {
        _options = options;
        _startFrames = Frames(options.StartMilliseconds);
        _hangoverFrames = Frames(options.HangoverMilliseconds);
        _minSamples = (long)options.MinUtteranceMilliseconds * SampleRate / 1000;
        _maxSamples = (long)options.MaxUtteranceMilliseconds * SampleRate / 1000;
        _preRollSamples = options.PreRollMilliseconds * SampleRate / 1000;
        _riseRate = Math.Min(1, FrameSeconds / options.NoiseAdaptSeconds);
    }

    /// <summary>The background level in dBFS the speech threshold sits on; NaN before the first frame.</summary>
    public double NoiseFloorDb { get; private set; } = double.NaN;

    /// <summary>Samples consumed so far.</summary>
    public long Position => _position + _frameFill;

    /// <summary>Speech frames are being collected into an utterance.</summary>
    public bool InSpeech => _state == State.Speech;

    /// <summary>Feeds samples (any count); what happened is added to <paramref name="events"/>.</summary>
    public void Process(ReadOnlySpan<float> samples, List<VoiceActivityEvent> events)
    {
        while (!samples.IsEmpty)
        {
            var take = Math.Min(samples.Length, FrameSamples - _frameFill);
            samples[..take].CopyTo(_frame.AsSpan(_frameFill));
            _frameFill += take;
            samples = samples[take..];
            if (_frameFill < FrameSamples) continue;
            _frameFill = 0;
            ProcessFrame(events);
        }
    }

    /// <summary>The stream ended: an utterance in progress is cut if it is long enough.</summary>
    public void Flush(List<VoiceActivityEvent> events)
    {
        if (_state == State.Speech) Finish(UtteranceEnd.EndOfStream, _lastSpeechEnd, events);
        _state = State.Silence;
    }

    /// <summary>
    /// <paramref name="samples"/> of audio are missing (lost beyond concealment): they count as
    /// silent frames, so an utterance ends after the hangover as after a pause and a speech onset
    /// starts over, but they are not measured, so the noise floor keeps the real background.
    /// </summary>
    public void Gap(long samples, List<VoiceActivityEvent> events)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(samples);
        if (samples == 0) return;
        // Voicing must not correlate across the hole.
        _voicing = new Voicing(SampleRate, FrameSamples);
        if (_frameFill > 0)
        {
            var take = (int)Math.Min(samples, FrameSamples - _frameFill);
            _frame.AsSpan(_frameFill, take).Clear();
            _frameFill += take;
            samples -= take;
            if (_frameFill < FrameSamples) return;
            _frameFill = 0;
            Step(speech: false, events);
        }
        for (; samples >= FrameSamples; samples -= FrameSamples)
        {
            if (_state == State.Silence && samples >= 2 * FrameSamples)
            {
                // In silence nothing but the pre-roll depends on the frames: skip all but the last.
                var skip = (samples / FrameSamples - 1) * FrameSamples;
                _speechRun = 0;
                _audio.Clear();
                _position += skip;
                _audioStart = _position;
                samples -= skip;
            }
            Array.Clear(_frame);
            Step(speech: false, events);
        }
        _frame.AsSpan(0, (int)samples).Clear();
        _frameFill = (int)samples;
    }

    private void ProcessFrame(List<VoiceActivityEvent> events)
    {
        var energy = EnergyDb(_frame);
        if (double.IsNaN(NoiseFloorDb)) NoiseFloorDb = energy;
        // Voicing is measured on every frame: its window spans the frame before.
        var voicing = _voicing.Next(_frame);
        var speech = energy >= _options.MinSpeechDbfs && energy >= NoiseFloorDb + _options.ThresholdDb
            && voicing >= _options.MinVoicing;
        // In overflow the floor adapts even to "speech": a background loud and peaked enough to
        // pass the cues must not hold the detector in one endless utterance.
        if (_state == State.Overflow || (_state == State.Silence && !speech)) Adapt(energy);
        Step(speech, events);
    }

    private void Step(bool speech, List<VoiceActivityEvent> events)
    {
        var frameStart = _position;
        var frameEnd = _position + FrameSamples;
        _position = frameEnd;
        if (_state != State.Overflow) _audio.AddRange(_frame);

        switch (_state)
        {
            case State.Silence:
                if (!speech)
                {
                    _speechRun = 0;
                    TrimTo(_preRollSamples + FrameSamples);
                    break;
                }
                if (_speechRun++ == 0) _runStart = frameStart;
                if (_speechRun < _startFrames) break;
                _state = State.Speech;
                _speechStart = _runStart;
                _lastSpeechEnd = frameEnd;
                _silenceRun = 0;
                events.Add(new VoiceActivityEvent(VoiceActivityKind.SpeechStarted, _speechStart, frameEnd));
                break;
            case State.Speech:
                if (speech)
                {
                    _lastSpeechEnd = frameEnd;
                    _silenceRun = 0;
                }
                else
                {
                    _silenceRun++;
                }
                if (_silenceRun >= _hangoverFrames)
                {
                    Finish(UtteranceEnd.Silence, _lastSpeechEnd, events);
                    _state = State.Silence;
                }
                else if (frameEnd - _speechStart >= _maxSamples)
                {
                    Finish(UtteranceEnd.MaxLength, _speechStart + _maxSamples, events);
                    _state = State.Overflow;
                    _silenceRun = 0;
                }
                break;
            case State.Overflow:
                _silenceRun = speech ? 0 : _silenceRun + 1;
                if (_silenceRun >= _hangoverFrames)
                {
                    _state = State.Silence;
                    _speechRun = 0;
                    _audio.Clear();
                    _audioStart = frameEnd;
                }
                break;
        }
    }

    private void Finish(UtteranceEnd end, long endSample, List<VoiceActivityEvent> events)
    {
        var duration = endSample - _speechStart;
        if (duration < _minSamples && end != UtteranceEnd.MaxLength)
        {
            events.Add(new VoiceActivityEvent(VoiceActivityKind.TooShort, _speechStart, endSample) { End = end });
        }
        else
        {
            var from = Math.Max(_audioStart, _speechStart - _preRollSamples);
            var samples = _audio.GetRange((int)(from - _audioStart), (int)(endSample - from)).ToArray();
            events.Add(new VoiceActivityEvent(VoiceActivityKind.Utterance, _speechStart, endSample) { Samples = samples, SamplesStart = from, End = end });
        }
        _speechRun = 0;
        if (end == UtteranceEnd.MaxLength)
        {
            _audio.Clear();
            _audioStart = _position;
        }
        else
        {
            TrimTo(_preRollSamples + FrameSamples);
        }
    }

    private void Adapt(double energy)
    {
        // Falls fast but not to every dip: short-frame energies of coloured noise scatter by several dB.
        NoiseFloorDb += (energy < NoiseFloorDb ? FallRate : _riseRate) * (energy - NoiseFloorDb);
    }

    // Keeps the newest samples only, as pre-roll for the next utterance.
    private void TrimTo(int keep)
    {
        var drop = _audio.Count - keep;
        if (drop <= 0) return;
        _audio.RemoveRange(0, drop);
        _audioStart += drop;
    }

    private static double EnergyDb(ReadOnlySpan<float> frame)
    {
        double sum = 0;
        foreach (var s in frame) sum += (double)s * s;
        var mean = sum / frame.Length;
        return mean <= 0 ? SilenceDbfs : Math.Max(SilenceDbfs, 10 * Math.Log10(mean));
    }

    private static int Frames(int milliseconds) => Math.Max(1, (int)Math.Ceiling(milliseconds / (FrameSeconds * 1000)));
}
