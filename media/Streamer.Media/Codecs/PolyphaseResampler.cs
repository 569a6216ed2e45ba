namespace Streamer.Media.Codecs;

/// <summary>
/// Streaming rational-ratio resampler (L/M) with a Kaiser-windowed sinc low-pass, run as a
/// polyphase FIR so the zeros of the upsampled signal are never multiplied. The filter's
/// cutoff sits below the lower of the two Nyquist rates, so upsampling leaves no images and
/// downsampling no aliases. State carries across calls: chunks of any size join seamlessly.
/// </summary>
public sealed class PolyphaseResampler
{
    private readonly int _up;
    private readonly int _down;
    private readonly int _tapsPerPhase;
    // Coefficients per phase, reversed so a phase is one dot product with the history window.
    private readonly float[][] _phases;
    private readonly float[] _history;
    private float[] _scratch = [];
    private int _historyCount;
    // Position of the next output sample on the upsampled time axis, relative to the history start.
    private long _nextTime;

    /// <param name="inputRate">Input sample rate in Hz.</param>
    /// <param name="outputRate">Output sample rate in Hz.</param>
    /// <param name="passbandHz">Upper edge of the flat band; defaults to 0.92 of the lower Nyquist rate.</param>
    /// <param name="stopbandHz">Where the stopband starts; defaults to the lower Nyquist rate.</param>
    /// <param name="attenuationDb">Stopband attenuation the Kaiser window is designed for.</param>
    public PolyphaseResampler(int inputRate, int outputRate, double? passbandHz = null, double? stopbandHz = null, double attenuationDb = 80)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputRate);
        var divisor = Gcd(inputRate, outputRate);
        _up = outputRate / divisor;
        _down = inputRate / divisor;
        InputRate = inputRate;
        OutputRate = outputRate;

        var nyquist = Math.Min(inputRate, outputRate) / 2.0;
        var stop = stopbandHz ?? nyquist;
        var pass = passbandHz ?? 0.92 * nyquist;
        if (pass <= 0 || stop <= pass || stop > nyquist * 1.1)
            throw new ArgumentOutOfRangeException(nameof(passbandHz), "Need 0 < passband < stopband near the lower Nyquist rate.");

        // Kaiser's design formulas (Oppenheim & Schafer 7.6) on the upsampled rate.
        var upsampledRate = (double)inputRate * _up;
        var transition = 2 * Math.PI * (stop - pass) / upsampledRate;
        var length = (int)Math.Ceiling((attenuationDb - 8) / (2.285 * transition)) + 1;
        _tapsPerPhase = (length + _up - 1) / _up;
        length = _tapsPerPhase * _up;
        var beta = attenuationDb > 50 ? 0.1102 * (attenuationDb - 8.7)
            : attenuationDb >= 21 ? 0.5842 * Math.Pow(attenuationDb - 21, 0.4) + 0.07886 * (attenuationDb - 21)
            : 0;
        var cutoff = (pass + stop) / 2 / upsampledRate;
        var prototype = new double[length];
        var centre = (length - 1) / 2.0;
        var i0Beta = BesselI0(beta);
        for (var n = 0; n < length; n++)
        {
            var x = n - centre;
            var sinc = x == 0 ? 2 * cutoff : Math.Sin(2 * Math.PI * cutoff * x) / (Math.PI * x);
            var ratio = x / centre;
            var window = BesselI0(beta * Math.Sqrt(Math.Max(0, 1 - ratio * ratio))) / i0Beta;
            // Gain L restores the amplitude the zero-stuffing spreads over L samples.
            prototype[n] = sinc * window * _up;
        }

        _phases = new float[_up][];
        for (var p = 0; p < _up; p++)
        {
            var phase = new float[_tapsPerPhase];
            for (var j = 0; j < _tapsPerPhase; j++) phase[_tapsPerPhase - 1 - j] = (float)prototype[p + j * _up];
            _phases[p] = phase;
        }
        _history = new float[_tapsPerPhase - 1];
        Reset();
    }

    public int InputRate { get; }

    public int OutputRate { get; }

    /// <summary>Filter delay in output samples: the output lags the input by this much.</summary>
    public double DelayOutputSamples => (_tapsPerPhase * _up - 1) / 2.0 / _down;

    /// <summary>Taps of the prototype low-pass (all phases together).</summary>
    public int FilterLength => _tapsPerPhase * _up;

    /// <summary>The most samples one call with <paramref name="inputLength"/> input can write.</summary>
    public int MaxOutputLength(int inputLength) => (int)(((long)inputLength * _up + _down - 1) / _down) + 1;

    /// <summary>Forgets all past input: the next call starts from silence, as a new stream.</summary>
    public void Reset()
    {
        Array.Clear(_history);
        _historyCount = _history.Length;
        // The first output aligns with the first new input sample entering the newest tap.
        _nextTime = (long)_history.Length * _up;
    }

    /// <summary>Resamples <paramref name="input"/> into <paramref name="output"/>; returns the samples written.</summary>
    public int Process(ReadOnlySpan<float> input, Span<float> output)
    {
        if (output.Length < MaxOutputLength(input.Length))
            throw new ArgumentException("Output is shorter than MaxOutputLength(input.Length).", nameof(output));

        var available = _historyCount + input.Length;
        if (_scratch.Length < available) _scratch = new float[Math.Max(available, 2 * _scratch.Length)];
        var window = _scratch.AsSpan(0, available);
        _history.AsSpan(0, _historyCount).CopyTo(window);
        input.CopyTo(window[_historyCount..]);

        var written = 0;
        while (true)
        {
            var newest = _nextTime / _up;
            if (newest >= available) break;
            var phase = _phases[(int)(_nextTime % _up)];
            var first = (int)newest - (_tapsPerPhase - 1);
            output[written++] = Dot(window.Slice(first, _tapsPerPhase), phase);
            _nextTime += _down;
        }

        // Keep the last taps-1 samples and move the time axis with them.
        var keep = Math.Min(_history.Length, available);
        window.Slice(available - keep, keep).CopyTo(_history);
        _historyCount = keep;
        _nextTime -= (long)(available - keep) * _up;
        return written;
    }

    private static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> h)
    {
        var sum = 0f;
        for (var i = 0; i < h.Length; i++) sum += x[i] * h[i];
        return sum;
    }

    private static double BesselI0(double x)
    {
        // Power series; converges fast for the betas a Kaiser window uses (< 15).
        double sum = 1, term = 1, half = x / 2;
        for (var k = 1; k < 50; k++)
        {
            term *= half / k * (half / k);
            sum += term;
            if (term < 1e-12 * sum) break;
        }
        return sum;
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }
}
