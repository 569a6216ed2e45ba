namespace Streamer.Server.Tests.Voice;

/// <summary>
/// Test audio with the structure of speech and of real backgrounds, deterministic by seed:
/// voiced syllables (a glottal-like harmonic series on a wandering pitch, shaped by the
/// formant resonances of changing vowels, with syllabic attack and decay) and white or pink
/// (1/f) noise scaled to a signal-to-noise ratio.
/// </summary>
public static class SpeechLikeSignal
{
    // F1, F2, F3 of a, i, u, e, o (Peterson & Barney averages, male voices).
    private static readonly double[][] Vowels =
    [
        [730, 1090, 2440],
        [270, 2290, 3010],
        [300, 870, 2240],
        [530, 1840, 2480],
        [570, 840, 2410],
    ];

    /// <summary>Voiced speech of <paramref name="seconds"/> at <paramref name="rate"/> Hz, peak near 0.5.</summary>
    public static float[] Voiced(double seconds, int rate, int seed)
    {
        var random = new Random(seed);
        var samples = new float[(int)(seconds * rate)];
        var phase = 0.0;
        var syllableStart = 0;
        var syllableLength = NextSyllable(random, rate);
        var vowel = Vowels[random.Next(Vowels.Length)];
        var basePitch = 105 + 30 * random.NextDouble();
        for (var n = 0; n < samples.Length; n++)
        {
            if (n - syllableStart >= syllableLength)
            {
                syllableStart = n;
                syllableLength = NextSyllable(random, rate);
                vowel = Vowels[random.Next(Vowels.Length)];
            }
            var t = n / (double)rate;
            // Intonation: a slow declination and a 5 Hz vibrato-like wobble.
            var pitch = basePitch * (1 - 0.08 * t / seconds) * (1 + 0.02 * Math.Sin(2 * Math.PI * 5 * t));
            phase += 2 * Math.PI * pitch / rate;
            double value = 0;
            for (var h = 1; h * pitch < Math.Min(4000, rate / 2.0); h++)
            {
                // A glottal source falls about 12 dB per octave; the vocal tract adds the formants.
                var f = h * pitch;
                value += Formants(f, vowel) / (h * h) * Math.Sin(h * phase);
            }
            // Syllabic envelope: 30 ms attack, a sustained vowel, then decay into a short gap.
            var position = (n - syllableStart) / (double)syllableLength;
            var envelope = position < 0.12 ? position / 0.12 : position > 0.75 ? Math.Max(0, (1 - position) / 0.25) : 1;
            samples[n] = (float)(value * envelope);
        }
        Normalize(samples, 0.5f);
        return samples;
    }

    public static float[] WhiteNoise(int length, double rms, int seed)
    {
        var random = new Random(seed);
        var noise = new float[length];
        for (var i = 0; i < length; i++) noise[i] = (float)Gaussian(random);
        return Scale(noise, rms);
    }

    /// <summary>Pink noise from Paul Kellet's refined filter over white noise (within 0.05 dB of 1/f above 9 Hz).</summary>
    public static float[] PinkNoise(int length, double rms, int seed)
    {
        var random = new Random(seed);
        var noise = new float[length];
        double b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0;
        for (var i = 0; i < length; i++)
        {
            var white = Gaussian(random);
            b0 = 0.99886 * b0 + white * 0.0555179;
            b1 = 0.99332 * b1 + white * 0.0750759;
            b2 = 0.96900 * b2 + white * 0.1538520;
            b3 = 0.86650 * b3 + white * 0.3104856;
            b4 = 0.55000 * b4 + white * 0.5329522;
            b5 = -0.7616 * b5 - white * 0.0168980;
            noise[i] = (float)(b0 + b1 + b2 + b3 + b4 + b5 + b6 + white * 0.5362);
            b6 = white * 0.115926;
        }
        return Scale(noise, rms);
    }

    public static double Rms(ReadOnlySpan<float> x)
    {
        double sum = 0;
        foreach (var v in x) sum += (double)v * v;
        return Math.Sqrt(sum / Math.Max(1, x.Length));
    }

    /// <summary>Silence, then <paramref name="speech"/> at <paramref name="at"/> seconds, then silence up to <paramref name="total"/> seconds.</summary>
    public static float[] Place(float[] speech, double at, double total, int rate)
    {
        var output = new float[(int)(total * rate)];
        speech.AsSpan().CopyTo(output.AsSpan((int)(at * rate)));
        return output;
    }

    /// <summary>Adds <paramref name="noise"/> to <paramref name="signal"/> in place.</summary>
    public static float[] Mix(float[] signal, float[] noise)
    {
        for (var i = 0; i < signal.Length; i++) signal[i] += noise[i];
        return signal;
    }

    // One peak per formant, the bandwidth of each about 10% of its frequency.
    private static double Formants(double f, double[] vowel)
    {
        double gain = 0;
        foreach (var formant in vowel)
        {
            var bandwidth = 0.1 * formant + 50;
            var d = (f - formant) / bandwidth;
            gain += 1 / (1 + d * d);
        }
        return gain * f / 100;
    }

    private static int NextSyllable(Random random, int rate) => (int)((0.16 + 0.12 * random.NextDouble()) * rate);

    private static double Gaussian(Random random)
    {
        // Box-Muller.
        var u = 1 - random.NextDouble();
        var v = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
    }

    private static float[] Scale(float[] x, double rms)
    {
        var factor = (float)(rms / Rms(x));
        for (var i = 0; i < x.Length; i++) x[i] *= factor;
        return x;
    }

    private static void Normalize(float[] x, float peak)
    {
        var max = x.Max(Math.Abs);
        if (max == 0) return;
        for (var i = 0; i < x.Length; i++) x[i] *= peak / max;
    }
}
