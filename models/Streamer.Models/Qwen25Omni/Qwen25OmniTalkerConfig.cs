using System.Text.Json;
using System.Text.Json.Serialization;

namespace Streamer.Models.Qwen25Omni;

/// <summary>
/// <c>talker_config</c>: a Qwen2 decoder over codec tokens. Its embeddings live in the thinker's
/// space (<c>embedding_size</c>) and reach the decoder through <c>thinker_to_talker_proj</c>;
/// <c>head_dim</c> is explicit and need not equal hidden_size / num_attention_heads. The codec
/// ids (<c>tts_codec_*</c>) index the talker's own vocabulary, the text ids (<c>tts_text_*</c>)
/// the thinker's. The multimodal token ids repeat the thinker's, for the talker's own rope index.
/// </summary>
public sealed record Qwen25OmniTalkerConfig : IJsonOnDeserialized
{
    [JsonPropertyName("vocab_size")] public required int VocabSize { get; init; }

    [JsonPropertyName("embedding_size")] public required int EmbeddingSize { get; init; }

    [JsonPropertyName("hidden_size")] public required int HiddenSize { get; init; }

    [JsonPropertyName("intermediate_size")] public required int IntermediateSize { get; init; }

    [JsonPropertyName("num_hidden_layers")] public required int NumHiddenLayers { get; init; }

    [JsonPropertyName("num_attention_heads")] public required int NumAttentionHeads { get; init; }

    [JsonPropertyName("num_key_value_heads")] public required int NumKeyValueHeads { get; init; }

    [JsonPropertyName("head_dim")] public int? ExplicitHeadDim { get; init; }

    [JsonPropertyName("rms_norm_eps")] public double RmsNormEps { get; init; } = 1e-6;

    [JsonPropertyName("hidden_act")] public string HiddenAct { get; init; } = "silu";

    [JsonPropertyName("max_position_embeddings")] public int MaxPositionEmbeddings { get; init; } = 32768;

    [JsonPropertyName("rope_parameters")] public RopeParameters? RopeParameters { get; init; }

    [JsonPropertyName("rope_theta")] public double? LegacyRopeTheta { get; init; }

    [JsonPropertyName("rope_scaling")] public RopeParameters? LegacyRopeScaling { get; init; }

    [JsonPropertyName("tts_codec_start_token_id")] public required long TtsCodecStartTokenId { get; init; }

    [JsonPropertyName("tts_codec_end_token_id")] public required long TtsCodecEndTokenId { get; init; }

    [JsonPropertyName("tts_codec_pad_token_id")] public required long TtsCodecPadTokenId { get; init; }

    [JsonPropertyName("tts_codec_mask_token_id")] public required long TtsCodecMaskTokenId { get; init; }

    [JsonPropertyName("tts_text_start_token_id")] public required long TtsTextStartTokenId { get; init; }

    [JsonPropertyName("tts_text_end_token_id")] public required long TtsTextEndTokenId { get; init; }

    [JsonPropertyName("tts_text_pad_token_id")] public required long TtsTextPadTokenId { get; init; }

    [JsonPropertyName("audio_token_index")] public required long AudioTokenIndex { get; init; }

    [JsonPropertyName("image_token_index")] public required long ImageTokenIndex { get; init; }

    [JsonPropertyName("video_token_index")] public required long VideoTokenIndex { get; init; }

    [JsonPropertyName("audio_start_token_id")] public required long AudioStartTokenId { get; init; }

    [JsonPropertyName("audio_end_token_id")] public required long AudioEndTokenId { get; init; }

    [JsonPropertyName("vision_start_token_id")] public required long VisionStartTokenId { get; init; }

    [JsonPropertyName("vision_end_token_id")] public required long VisionEndTokenId { get; init; }

    [JsonPropertyName("position_id_per_seconds")] public required double PositionIdPerSeconds { get; init; }

    [JsonPropertyName("seconds_per_chunk")] public required double SecondsPerChunk { get; init; }

    [JsonPropertyName("spatial_merge_size")] public required int SpatialMergeSize { get; init; }

    /// <summary>
    /// The decoder stack as a Qwen2 text config (vocabulary = codec ids, head_dim explicit), so the
    /// thinker's decoder layers serve the talker unchanged.
    /// </summary>
    [JsonIgnore] public Qwen25OmniTextConfig DecoderConfig { get; private set; } = null!;

    /// <summary>The ids and time scale the talker's own rope index uses.</summary>
    [JsonIgnore] public Qwen25OmniRopeIndexConfig RopeIndexConfig { get; private set; } = null!;

    [JsonIgnore] public int HeadDim => DecoderConfig.HeadDim;

    public void OnDeserialized()
    {
        if (EmbeddingSize <= 0)
        {
            throw new JsonException($"talker_config.embedding_size {EmbeddingSize} must be positive");
        }
        foreach (var (name, id) in new[]
        {
            ("tts_codec_start_token_id", TtsCodecStartTokenId),
            ("tts_codec_end_token_id", TtsCodecEndTokenId),
            ("tts_codec_pad_token_id", TtsCodecPadTokenId),
            ("tts_codec_mask_token_id", TtsCodecMaskTokenId),
        })
        {
            if (id < 0 || id >= VocabSize)
            {
                throw new JsonException($"talker_config.{name} {id} is outside the codec vocabulary [0, {VocabSize})");
            }
        }
        var decoder = new Qwen25OmniTextConfig
        {
            VocabSize = VocabSize,
            HiddenSize = HiddenSize,
            IntermediateSize = IntermediateSize,
            NumHiddenLayers = NumHiddenLayers,
            NumAttentionHeads = NumAttentionHeads,
            NumKeyValueHeads = NumKeyValueHeads,
            ExplicitHeadDim = ExplicitHeadDim,
            RmsNormEps = RmsNormEps,
            HiddenAct = HiddenAct,
            MaxPositionEmbeddings = MaxPositionEmbeddings,
            RopeParameters = RopeParameters,
            LegacyRopeTheta = LegacyRopeTheta,
            LegacyRopeScaling = LegacyRopeScaling,
        };
        decoder.OnDeserialized();
        DecoderConfig = decoder;
        RopeIndexConfig = new Qwen25OmniRopeIndexConfig(
            ImageTokenIndex, VideoTokenIndex, AudioTokenIndex, VisionStartTokenId, AudioStartTokenId,
            SpatialMergeSize, PositionIdPerSeconds, SecondsPerChunk);
    }
}
