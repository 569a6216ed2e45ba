using System.Text.Json.Serialization;

namespace Streamer.Models.Processing;

/// <summary>
/// Settings of the Qwen2-VL image and video processors (<c>preprocessor_config.json</c> names);
/// defaults are the released ones: 14 px patches, pairs of frames, 2x2 merge, CLIP mean/std.
/// </summary>
public sealed record Qwen2VLImageProcessorOptions
{
    public static readonly float[] OpenAiClipMean = [0.48145466f, 0.4578275f, 0.40821073f];

    public static readonly float[] OpenAiClipStd = [0.26862954f, 0.26130258f, 0.27577711f];

    [JsonPropertyName("min_pixels")] public int MinPixels { get; init; } = 56 * 56;

    [JsonPropertyName("max_pixels")] public int MaxPixels { get; init; } = 28 * 28 * 1280;

    [JsonPropertyName("patch_size")] public int PatchSize { get; init; } = 14;

    [JsonPropertyName("temporal_patch_size")] public int TemporalPatchSize { get; init; } = 2;

    [JsonPropertyName("merge_size")] public int MergeSize { get; init; } = 2;

    [JsonPropertyName("rescale_factor")] public double RescaleFactor { get; init; } = 1.0 / 255.0;

    [JsonPropertyName("image_mean")] public float[] ImageMean { get; init; } = OpenAiClipMean;

    [JsonPropertyName("image_std")] public float[] ImageStd { get; init; } = OpenAiClipStd;

    /// <summary>Resized sides are multiples of this (patch_size * merge_size).</summary>
    [JsonIgnore] public int Factor => PatchSize * MergeSize;
}
