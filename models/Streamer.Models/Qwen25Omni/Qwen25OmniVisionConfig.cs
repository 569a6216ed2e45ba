using System.Text.Json.Serialization;

namespace Streamer.Models.Qwen25Omni;

/// <summary>The Qwen2.5-VL style vision encoder of the thinker (<c>thinker.visual</c>).</summary>
public sealed record Qwen25OmniVisionConfig
{
    [JsonPropertyName("depth")] public required int Depth { get; init; }

    [JsonPropertyName("hidden_size")] public required int HiddenSize { get; init; }

    /// <summary>Released configs also carry embed_dim (equal to hidden_size).</summary>
    [JsonPropertyName("embed_dim")] public int? EmbedDim { get; init; }

    [JsonPropertyName("num_heads")] public required int NumHeads { get; init; }

    [JsonPropertyName("intermediate_size")] public required int IntermediateSize { get; init; }

    [JsonPropertyName("out_hidden_size")] public required int OutHiddenSize { get; init; }

    [JsonPropertyName("patch_size")] public required int PatchSize { get; init; }

    [JsonPropertyName("temporal_patch_size")] public required int TemporalPatchSize { get; init; }

    [JsonPropertyName("spatial_merge_size")] public required int SpatialMergeSize { get; init; }

    [JsonPropertyName("window_size")] public required int WindowSize { get; init; }

    [JsonPropertyName("fullatt_block_indexes")] public int[] FullattBlockIndexes { get; init; } = [];

    [JsonPropertyName("in_channels")] public int? InChannelsValue { get; init; }

    [JsonPropertyName("in_chans")] public int? InChans { get; init; }

    [JsonPropertyName("hidden_act")] public string HiddenAct { get; init; } = "silu";

    [JsonPropertyName("tokens_per_second")] public double? TokensPerSecond { get; init; }

    [JsonPropertyName("rope_parameters")] public RopeParameters? RopeParameters { get; init; }

    /// <summary>in_channels (new layout) or in_chans (released checkpoints); 3 when neither is written.</summary>
    [JsonIgnore] public int InChannels => InChannelsValue ?? InChans ?? 3;

    [JsonIgnore] public int HeadDim => HiddenSize / NumHeads;
}
