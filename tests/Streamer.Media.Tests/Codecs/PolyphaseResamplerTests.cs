using Streamer.Media.Codecs;

namespace Streamer.Media.Tests.Codecs;

public sealed class PolyphaseResamplerTests
{
    private const int InputRate = 24000;
    private const int OutputRate = 48000;

    [Fact]
    public void Upsampling_keeps_a_1_kHz_tone_within_half_a_decibel()
    {
        var output = Upsample(Tone(1000, InputRate, InputRate / 2, amplitude: 0.5));

        var steady = output.AsSpan(1000, 9600);
        var amplitude = ToneAmplitude(steady, 1000, OutputRate);
        var gainDb = 20 * Math.Log10(amplitude / 0.5);
        Assert.InRange(gainDb, -0.5, 0.5);
        // Nothing but the tone: its amplitude accounts for the whole signal power.
        Assert.InRange(Rms(steady) * Math.Sqrt(2) / amplitude, 0.99, 1.01);
    }

    [Fact]
    public void Upsampling_an_11_9_kHz_tone_leaves_no_image_above_12_kHz()
    {
        const double Amplitude = 0.5;
        var output = Upsample(Tone(11900, InputRate, InputRate / 2, Amplitude));

        var steady = output.AsSpan(1000, 9600);
        // Zero-stuffing mirrors the tone around the input Nyquist rate: 24 - 11.9 = 12.1 kHz.
        var worst = double.NegativeInfinity;
        for (var frequency = 12050.0; frequency < 24000; frequency += 25)
        {
            worst = Math.Max(worst, 20 * Math.Log10(HannAmplitude(steady, frequency, OutputRate) / Amplitude + 1e-12));
        }
        Assert.True(worst < -40, $"strongest component above 12 kHz at {worst:F1} dB");
        var image = 20 * Math.Log10(HannAmplitude(steady, 12100, OutputRate) / Amplitude + 1e-12);
        Assert.True(image < -40, $"image at 12.1 kHz at {image:F1} dB");
    }

    [Fact]
    public void Output_has_twice_the_samples_and_does_not_depend_on_chunk_boundaries()
    {
        var input = Noise(4800, seed: 7);
        var whole = Upsample(input);
        Assert.Equal(2 * input.Length, whole.Length);

        var random = new Random(11);
        var resampler = new PolyphaseResampler(InputRate, OutputRate);
        var pieces = new List<float>();
        for (var offset = 0; offset < input.Length;)
        {
            var length = Math.Min(random.Next(0, 700), input.Length - offset);
            var buffer = new float[resampler.MaxOutputLength(length)];
            var written = resampler.Process(input.AsSpan(offset, length), buffer);
            pieces.AddRange(buffer.AsSpan(0, written));
            offset += length;
        }

        Assert.Equal(whole.Length, pieces.Count);
        for (var i = 0; i < whole.Length; i++) Assert.Equal(whole[i], pieces[i], 1e-6f);
    }

    [Fact]
    public void Reset_forgets_the_previous_stream()
    {
        var resampler = new PolyphaseResampler(InputRate, OutputRate);
        var buffer = new float[resampler.MaxOutputLength(2400)];
        resampler.Process(Tone(440, InputRate, 2400, 0.9), buffer);

        resampler.Reset();
        var silence = new float[2400];
        var written = resampler.Process(silence, buffer);

        Assert.Equal(4800, written);
        Assert.All(buffer.AsSpan(0, written).ToArray(), s => Assert.Equal(0f, s));
    }

    [Fact]
    public void Output_lags_input_by_the_reported_filter_delay()
    {
        var resampler = new PolyphaseResampler(InputRate, OutputRate);
        var impulse = new float[400];
        impulse[0] = 1;
        var output = new float[resampler.MaxOutputLength(impulse.Length)];
        var written = resampler.Process(impulse, output);

        var peak = 0;
        for (var i = 1; i < written; i++) if (Math.Abs(output[i]) > Math.Abs(output[peak])) peak = i;
        Assert.InRange(peak, resampler.DelayOutputSamples - 1, resampler.DelayOutputSamples + 1);
    }

    internal static float[] Upsample(float[] input)
    {
        var resampler = new PolyphaseResampler(InputRate, OutputRate);
        var output = new float[resampler.MaxOutputLength(input.Length)];
        var written = resampler.Process(input, output);
        return output[..written];
    }

    internal static float[] Tone(double frequency, int rate, int length, double amplitude)
    {
        var samples = new float[length];
        for (var i = 0; i < length; i++) samples[i] = (float)(amplitude * Math.Sin(2 * Math.PI * frequency * i / rate));
        return samples;
    }

    private static float[] Noise(int length, int seed)
    {
        var random = new Random(seed);
        var samples = new float[length];
        for (var i = 0; i < length; i++) samples[i] = (float)(random.NextDouble() * 2 - 1) * 0.5f;
        return samples;
    }

    /// <summary>Amplitude of the component at <paramref name="frequency"/> over whole periods (rectangular window).</summary>
    internal static double ToneAmplitude(ReadOnlySpan<float> x, double frequency, int rate)
    {
        double re = 0, im = 0;
        for (var i = 0; i < x.Length; i++)
        {
            var phase = 2 * Math.PI * frequency * i / rate;
            re += x[i] * Math.Cos(phase);
            im += x[i] * Math.Sin(phase);
        }
        return 2 * Math.Sqrt(re * re + im * im) / x.Length;
    }

    /// <summary>Amplitude at <paramref name="frequency"/> under a Hann window, whose low sidelobes keep the tone out of distant bins.</summary>
    private static double HannAmplitude(ReadOnlySpan<float> x, double frequency, int rate)
    {
        double re = 0, im = 0;
        for (var i = 0; i < x.Length; i++)
        {
            var window = 0.5 - 0.5 * Math.Cos(2 * Math.PI * i / (x.Length - 1));
            var phase = 2 * Math.PI * frequency * i / rate;
            re += window * x[i] * Math.Cos(phase);
            im += window * x[i] * Math.Sin(phase);
        }
        // The Hann window's coherent gain is one half.
        return 4 * Math.Sqrt(re * re + im * im) / x.Length;
    }

    internal static double Rms(ReadOnlySpan<float> x)
    {
        double sum = 0;
        foreach (var s in x) sum += s * s;
        return Math.Sqrt(sum / x.Length);
    }
}
