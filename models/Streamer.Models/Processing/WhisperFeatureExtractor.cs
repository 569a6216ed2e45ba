using TorchSharp;
using static TorchSharp.torch;

namespace Streamer.Models.Processing;

/// <summary>
/// WhisperFeatureExtractor as the Qwen2.5-Omni processor runs it (padding to max_length, with
/// attention mask): mono float PCM at the sampling rate is zero-padded (or truncated) to
/// chunk_length seconds, a centred STFT with a periodic Hann window gives power spectra, the
/// Slaney mel filters map them to mel bins, and the log10 is clamped to 8 below the maximum of
/// the whole padded spectrogram before the (x + 4) / 4 scaling.
/// </summary>
public sealed class WhisperFeatureExtractor
{
    private readonly float[] _melFilters;

    public WhisperFeatureExtractor(WhisperFeatureExtractorOptions? options = null)
    {
        Options = options ?? new WhisperFeatureExtractorOptions();
        FrequencyBins = 1 + Options.NFft / 2;
        _melFilters = MelFilterBank.Slaney(FrequencyBins, Options.FeatureSize, 0.0, 8000.0, Options.SamplingRate)
            .Select(v => (float)v).ToArray();
    }

    public WhisperFeatureExtractorOptions Options { get; }

    public int FrequencyBins { get; }

    /// <summary>The mel filters [frequency bins, mel] in float32, as the extractor uses them.</summary>
    public Tensor MelFilters() => tensor(_melFilters, [FrequencyBins, Options.FeatureSize]);

    /// <summary>Features of one waveform; samples beyond chunk_length seconds are dropped.</summary>
    public WhisperFeatures Extract(ReadOnlySpan<float> waveform)
    {
        var maxSamples = Options.MaxSamples;
        var used = Math.Min(waveform.Length, maxSamples);
        var padded = new float[maxSamples];
        waveform[..used].CopyTo(padded);
        if (Options.PaddingValue != 0)
        {
            Array.Fill(padded, (float)Options.PaddingValue, used, maxSamples - used);
        }

        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var signal = tensor(padded);
        var window = hann_window(Options.NFft);
        var stft = torch.stft(signal, Options.NFft, Options.HopLength, window: window, return_complex: true);
        // The STFT's last frame is dropped, as the reference does.
        var power = stft.narrow(-1, 0, stft.shape[^1] - 1).abs().pow(2);
        var mel = MelFilters().t().matmul(power);
        var log = mel.clamp_min(1e-10).log10();
        log = maximum(log, log.max() - 8.0);
        var features = ((log + 4.0) / 4.0).unsqueeze(0);

        // The sample mask subsampled every hop: frame i is valid when sample i * hop is real audio.
        var frames = features.shape[^1];
        var valid = Math.Min(frames, (used + Options.HopLength - 1) / Options.HopLength);
        var mask = zeros(1, frames, ScalarType.Int64);
        mask.narrow(1, 0, valid).fill_(1);
        return new WhisperFeatures(features.MoveToOuterDisposeScope(), mask.MoveToOuterDisposeScope()) { ValidFrames = valid };
    }
}
