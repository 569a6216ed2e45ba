using System.Text.Json;
using System.Text.Json.Serialization;

namespace Streamer.Models.Qwen25Omni;

/// <summary>
/// The thinker's Qwen2.5 language model. Newer transformers write
/// <c>rope_parameters: {rope_theta, mrope_section}</c>; the released checkpoints write
/// <c>rope_theta</c> and <c>rope_scaling: {mrope_section, type}</c> at top level. Both are
/// accepted and resolved once into <see cref="RopeTheta"/> and <see cref="MropeSection"/>.
/// </summary>
public sealed record Qwen25OmniTextConfig : IJsonOnDeserialized
{
    [JsonPropertyName("vocab_size")] public required int VocabSize { get; init; }

    [JsonPropertyName("hidden_size")] public required int HiddenSize { get; init; }

    [JsonPropertyName("intermediate_size")] public required int IntermediateSize { get; init; }

    [JsonPropertyName("num_hidden_layers")] public required int NumHiddenLayers { get; init; }

    [JsonPropertyName("num_attention_heads")] public required int NumAttentionHeads { get; init; }

    [JsonPropertyName("num_key_value_heads")] public required int NumKeyValueHeads { get; init; }

    /// <summary>Absent in Qwen2 configs (then hidden_size / num_attention_heads).</summary>
    [JsonPropertyName("head_dim")] public int? ExplicitHeadDim { get; init; }

    [JsonPropertyName("rms_norm_eps")] public double RmsNormEps { get; init; } = 1e-6;

    [JsonPropertyName("hidden_act")] public string HiddenAct { get; init; } = "silu";

    [JsonPropertyName("max_position_embeddings")] public int MaxPositionEmbeddings { get; init; } = 32768;

    [JsonPropertyName("rope_parameters")] public RopeParameters? RopeParameters { get; init; }

    [JsonPropertyName("rope_theta")] public double? LegacyRopeTheta { get; init; }

    [JsonPropertyName("rope_scaling")] public RopeParameters? LegacyRopeScaling { get; init; }

    [JsonPropertyName("use_sliding_window")] public bool UseSlidingWindow { get; init; }

    [JsonPropertyName("sliding_window")] public int? SlidingWindow { get; init; }

    [JsonPropertyName("tie_word_embeddings")] public bool TieWordEmbeddings { get; init; }

    [JsonIgnore] public int HeadDim { get; private set; }

    /// <summary>Query heads per key/value head (GQA group size).</summary>
    [JsonIgnore] public int KvGroups { get; private set; }

    [JsonIgnore] public double RopeTheta { get; private set; }

    /// <summary>Rotary frequencies per axis (temporal, height, width); sums to HeadDim / 2.</summary>
    [JsonIgnore] public IReadOnlyList<int> MropeSection { get; private set; } = [];

    public void OnDeserialized()
    {
        if (NumAttentionHeads <= 0 || NumKeyValueHeads <= 0 || NumAttentionHeads % NumKeyValueHeads != 0)
        {
            throw new JsonException($"num_attention_heads {NumAttentionHeads} must be a positive multiple of num_key_value_heads {NumKeyValueHeads}");
        }
        HeadDim = ExplicitHeadDim ?? HiddenSize / NumAttentionHeads;
        KvGroups = NumAttentionHeads / NumKeyValueHeads;
        RopeTheta = RopeParameters?.RopeTheta ?? LegacyRopeTheta ?? LegacyRopeScaling?.RopeTheta
            ?? throw new JsonException("text_config has no rope_theta (neither rope_parameters.rope_theta nor rope_theta)");
        MropeSection = RopeParameters?.MropeSection ?? LegacyRopeScaling?.MropeSection
            ?? throw new JsonException("text_config has no mrope_section (neither rope_parameters nor rope_scaling)");
        if (MropeSection.Count != 3 || MropeSection.Sum() * 2 != HeadDim)
        {
            throw new JsonException($"mrope_section [{string.Join(", ", MropeSection)}] must have 3 entries summing to head_dim/2 = {HeadDim / 2}");
        }
    }
}

/// <summary><c>rope_parameters</c> (or the legacy <c>rope_scaling</c>) of a text config.</summary>
public sealed record RopeParameters
{
    [JsonPropertyName("rope_theta")] public double? RopeTheta { get; init; }

    [JsonPropertyName("mrope_section")] public int[]? MropeSection { get; init; }

    [JsonPropertyName("rope_type")] public string? RopeType { get; init; }

    [JsonPropertyName("type")] public string? Type { get; init; }
}
