namespace Streamer.Models.Processing;

/// <summary>
/// Triangular mel filters with the Slaney mel scale and Slaney (area) normalisation, as
/// transformers' audio_utils.mel_filter_bank computes them (float64, frequencies spaced like
/// numpy.linspace).
/// </summary>
public static class MelFilterBank
{
    private const double MinLogHertz = 1000.0;
    private const double MinLogMel = 15.0;
    private static readonly double LogStep = 27.0 / Math.Log(6.4);

    public static double HertzToMel(double hertz) =>
        hertz >= MinLogHertz ? MinLogMel + Math.Log(hertz / MinLogHertz) * LogStep : 3.0 * hertz / 200.0;

    public static double MelToHertz(double mel) =>
        mel >= MinLogMel ? MinLogHertz * Math.Exp((mel - MinLogMel) / LogStep) : 200.0 * mel / 3.0;

    /// <summary>Filters [frequencyBins, melFilters], row-major.</summary>
    public static double[] Slaney(int frequencyBins, int melFilters, double minFrequency, double maxFrequency, int samplingRate)
    {
        var melFreqs = Linspace(HertzToMel(minFrequency), HertzToMel(maxFrequency), melFilters + 2);
        var filterFreqs = melFreqs.Select(MelToHertz).ToArray();
        var fftFreqs = Linspace(0, samplingRate / 2, frequencyBins);
        var result = new double[frequencyBins * melFilters];
        for (var f = 0; f < frequencyBins; f++)
        {
            for (var m = 0; m < melFilters; m++)
            {
                var down = -(filterFreqs[m] - fftFreqs[f]) / (filterFreqs[m + 1] - filterFreqs[m]);
                var up = (filterFreqs[m + 2] - fftFreqs[f]) / (filterFreqs[m + 2] - filterFreqs[m + 1]);
                var enorm = 2.0 / (filterFreqs[m + 2] - filterFreqs[m]);
                result[f * melFilters + m] = Math.Max(0.0, Math.Min(down, up)) * enorm;
            }
        }
        return result;
    }

    /// <summary>numpy.linspace with the endpoint: start + i * step, the last value exactly stop.</summary>
    private static double[] Linspace(double start, double stop, int count)
    {
        var values = new double[count];
        var step = (stop - start) / (count - 1);
        for (var i = 0; i < count; i++)
        {
            values[i] = i * step + start;
        }
        values[^1] = stop;
        return values;
    }
}
