using System.Text.Json.Serialization;

namespace Streamer.Models.Qwen25Omni;

/// <summary>
/// <c>thinker_config</c>: the three encoders' configs plus the special token ids that mark
/// where image, video and audio embeddings go and the time scale of TMRoPE.
/// </summary>
public sealed record Qwen25OmniThinkerConfig
{
    [JsonPropertyName("text_config")] public required Qwen25OmniTextConfig TextConfig { get; init; }

    [JsonPropertyName("vision_config")] public required Qwen25OmniVisionConfig VisionConfig { get; init; }

    [JsonPropertyName("audio_config")] public required Qwen25OmniAudioConfig AudioConfig { get; init; }

    [JsonPropertyName("audio_token_index")] public required long AudioTokenIndex { get; init; }

    [JsonPropertyName("image_token_index")] public required long ImageTokenIndex { get; init; }

    [JsonPropertyName("video_token_index")] public required long VideoTokenIndex { get; init; }

    [JsonPropertyName("audio_start_token_id")] public required long AudioStartTokenId { get; init; }

    [JsonPropertyName("audio_end_token_id")] public required long AudioEndTokenId { get; init; }

    [JsonPropertyName("vision_start_token_id")] public required long VisionStartTokenId { get; init; }

    [JsonPropertyName("vision_end_token_id")] public required long VisionEndTokenId { get; init; }

    [JsonPropertyName("vision_token_id")] public long? VisionTokenId { get; init; }

    [JsonPropertyName("user_token_id")] public long? UserTokenId { get; init; }

    [JsonPropertyName("bos_token_id")] public long? BosTokenId { get; init; }

    [JsonPropertyName("pad_token_id")] public long? PadTokenId { get; init; }

    [JsonPropertyName("position_id_per_seconds")] public required double PositionIdPerSeconds { get; init; }

    [JsonPropertyName("seconds_per_chunk")] public required double SecondsPerChunk { get; init; }

    /// <summary>
    /// The thinker-level flag governs whether lm_head shares embed_tokens; the text config's own
    /// value is not used by the reference model.
    /// </summary>
    [JsonPropertyName("tie_word_embeddings")] public bool TieWordEmbeddings { get; init; }

    [JsonPropertyName("initializer_range")] public double InitializerRange { get; init; } = 0.02;
}
