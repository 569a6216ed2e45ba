using TorchSharp;
using static TorchSharp.torch;

namespace Streamer.Models.Qwen25Omni;

/// <summary>The reference's free functions of the vocoder: kaiser_sinc_filter1d and the mel normalisation.</summary>
public static class BigVGANMath
{
    /// <summary>
    /// kaiser_sinc_filter1d: a Kaiser-windowed sinc low-pass with <paramref name="kernelSize"/> taps,
    /// normalised to sum 1 so a constant passes unchanged. The window parameter follows the Kaiser
    /// design formula for the attenuation implied by the transition width.
    /// </summary>
    public static float[] KaiserSincFilter(double cutoff, double halfWidth, int kernelSize)
    {
        var filter = new float[kernelSize];
        if (cutoff == 0)
        {
            return filter;
        }
        var even = kernelSize % 2 == 0;
        var halfSize = kernelSize / 2;
        var deltaF = 4 * halfWidth;
        var attenuation = 2.285 * (halfSize - 1) * Math.PI * deltaF + 7.95;
        var beta = attenuation > 50.0 ? 0.1102 * (attenuation - 8.7)
            : attenuation >= 21.0 ? 0.5842 * Math.Pow(attenuation - 21, 0.4) + 0.07886 * (attenuation - 21.0)
            : 0.0;

        var values = new double[kernelSize];
        var sum = 0.0;
        for (var n = 0; n < kernelSize; n++)
        {
            var time = even ? n - halfSize + 0.5 : n - halfSize;
            values[n] = 2 * cutoff * KaiserWindow(n, kernelSize, beta) * Sinc(2 * cutoff * time);
            sum += values[n];
        }
        for (var n = 0; n < kernelSize; n++)
        {
            filter[n] = (float)(values[n] / sum);
        }
        return filter;
    }

    /// <summary>Symmetric (non-periodic) Kaiser window, as torch.kaiser_window(periodic=False).</summary>
    public static double KaiserWindow(int n, int length, double beta)
    {
        if (length == 1)
        {
            return 1.0;
        }
        var ratio = 2.0 * n / (length - 1) - 1.0;
        return BesselI0(beta * Math.Sqrt(Math.Max(0.0, 1 - ratio * ratio))) / BesselI0(beta);
    }

    /// <summary>Modified Bessel function of the first kind, order 0, by its power series.</summary>
    public static double BesselI0(double x)
    {
        var term = 1.0;
        var sum = 1.0;
        var quarterSquare = x * x / 4;
        for (var k = 1; k < 200 && term > sum * 1e-17; k++)
        {
            term *= quarterSquare / ((double)k * k);
            sum += term;
        }
        return sum;
    }

    /// <summary>Normalised sinc, sin(pi x) / (pi x), 1 at 0 (torch.sinc).</summary>
    public static double Sinc(double x) => x == 0 ? 1.0 : Math.Sin(Math.PI * x) / (Math.PI * x);

    /// <summary>
    /// process_mel_spectrogram: log-mel -> amplitude -> decibels (floored at <paramref name="minDb"/>,
    /// shifted by <paramref name="referenceDb"/>) -> linearly mapped to [-1, 1] and clamped.
    /// </summary>
    public static Tensor ProcessMel(Tensor logMel, double minDb = -115, double referenceDb = 20, double maxValue = 1)
    {
        using var scope = NewDisposeScope();
        var minLevel = Math.Exp(minDb / 20.0 * Math.Log(10));
        var amplitude = logMel.exp();
        var decibels = amplitude.clamp_min((float)minLevel).log10() * 20 - referenceDb;
        var normalized = (decibels - minDb) / (-minDb) * (2 * maxValue) - maxValue;
        return normalized.clamp(-maxValue, maxValue).MoveToOuterDisposeScope();
    }
}
