namespace Streamer.Server.Voice;

/// <summary>
/// How periodic the last 40 ms are at a voice's pitch: the largest normalized autocorrelation
/// over lags of one pitch period (70 to 400 Hz) of the pre-emphasized signal. Voiced speech
/// repeats itself every period (near 1, and still high under noise, since noise adds to both
/// norms but not to the product); white noise stays near 0; pre-emphasis whitens pink and brown
/// backgrounds, which would otherwise correlate at short lags.
/// </summary>
public sealed class Voicing
{
    private const float PreEmphasis = 0.9f;
    private const int MinPitchHz = 70;
    private const int MaxPitchHz = 400;

    private readonly int _frameLength;
    private readonly int _minLag;
    private readonly int _maxLag;
    private readonly double[] _window;
    private float _previousSample;

    public Voicing(int sampleRate, int frameLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frameLength);
        _frameLength = frameLength;
        _minLag = sampleRate / MaxPitchHz;
        _maxLag = sampleRate / MinPitchHz;
        _window = new double[2 * frameLength];
    }

    /// <summary>Takes the next frame and returns the voicing of it and the frame before, in [0, 1].</summary>
    public double Next(ReadOnlySpan<float> frame)
    {
        if (frame.Length != _frameLength) throw new ArgumentException($"Expected {_frameLength} samples.", nameof(frame));
        Array.Copy(_window, _frameLength, _window, 0, _frameLength);
        for (var i = 0; i < frame.Length; i++)
        {
            _window[_frameLength + i] = frame[i] - PreEmphasis * _previousSample;
            _previousSample = frame[i];
        }
        var n = _window.Length;
        var best = 0.0;
        for (var lag = _minLag; lag <= _maxLag && lag < n / 2; lag++)
        {
            double product = 0, head = 0, tail = 0;
            for (var i = 0; i + lag < n; i++)
            {
                var a = _window[i];
                var b = _window[i + lag];
                product += a * b;
                head += a * a;
                tail += b * b;
            }
            if (head <= 0 || tail <= 0) continue;
            best = Math.Max(best, product / Math.Sqrt(head * tail));
        }
        return best;
    }
}
