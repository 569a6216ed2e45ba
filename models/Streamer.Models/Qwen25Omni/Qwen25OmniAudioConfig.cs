using System.Text.Json.Serialization;

namespace Streamer.Models.Qwen25Omni;

/// <summary>The Whisper-style audio encoder of the thinker (<c>thinker.audio_tower</c>).</summary>
public sealed record Qwen25OmniAudioConfig
{
    [JsonPropertyName("d_model")] public required int DModel { get; init; }

    [JsonPropertyName("encoder_layers")] public required int EncoderLayers { get; init; }

    [JsonPropertyName("encoder_attention_heads")] public required int EncoderAttentionHeads { get; init; }

    [JsonPropertyName("encoder_ffn_dim")] public required int EncoderFfnDim { get; init; }

    [JsonPropertyName("num_mel_bins")] public required int NumMelBins { get; init; }

    [JsonPropertyName("max_source_positions")] public required int MaxSourcePositions { get; init; }

    [JsonPropertyName("n_window")] public required int NWindow { get; init; }

    [JsonPropertyName("output_dim")] public required int OutputDim { get; init; }

    [JsonPropertyName("activation_function")] public string ActivationFunction { get; init; } = "gelu";

    [JsonPropertyName("scale_embedding")] public bool ScaleEmbedding { get; init; }

    [JsonPropertyName("dropout")] public double Dropout { get; init; }

    [JsonPropertyName("attention_dropout")] public double AttentionDropout { get; init; }

    [JsonPropertyName("activation_dropout")] public double ActivationDropout { get; init; }

    [JsonIgnore] public int HeadDim => DModel / EncoderAttentionHeads;
}
