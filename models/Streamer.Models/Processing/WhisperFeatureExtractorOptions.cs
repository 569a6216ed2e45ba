using System.Text.Json.Serialization;
using Streamer.Models.Qwen25Omni;

namespace Streamer.Models.Processing;

/// <summary>
/// The feature extractor fields of a <c>preprocessor_config.json</c>; defaults are what the
/// Qwen2.5-Omni processor uses (128 mel bins, 16 kHz, 25 ms window, 10 ms hop, 30 s chunks).
/// </summary>
public sealed record WhisperFeatureExtractorOptions
{
    [JsonPropertyName("feature_size")] public int FeatureSize { get; init; } = 128;

    [JsonPropertyName("sampling_rate")] public int SamplingRate { get; init; } = 16000;

    [JsonPropertyName("hop_length")] public int HopLength { get; init; } = 160;

    [JsonPropertyName("chunk_length")] public int ChunkLength { get; init; } = 30;

    [JsonPropertyName("n_fft")] public int NFft { get; init; } = 400;

    [JsonPropertyName("padding_value")] public double PaddingValue { get; init; }

    /// <summary>Samples in one padded input (chunk_length seconds).</summary>
    [JsonIgnore] public int MaxSamples => ChunkLength * SamplingRate;

    /// <summary>Mel frames in one padded input.</summary>
    [JsonIgnore] public int MaxFrames => MaxSamples / HopLength;

    /// <summary>The processor's settings with the mel bin count of the audio encoder it feeds.</summary>
    public static WhisperFeatureExtractorOptions For(Qwen25OmniAudioConfig audio) => new() { FeatureSize = audio.NumMelBins };
}
