using static TorchSharp.torch;

namespace Streamer.Models.Qwen25Omni;

/// <summary>
/// Everything the processors produce for one thinker prompt, named as the reference's keyword
/// arguments. Placeholders in <see cref="InputIds"/> are already expanded (one image/video token
/// per merged patch, one audio token per encoder output row). The record does not own the tensors.
/// </summary>
public sealed record Qwen25OmniThinkerInputs
{
    /// <summary>[B, L] token ids.</summary>
    public required Tensor InputIds { get; init; }

    /// <summary>[B, L] 0/1, null when no row is padded.</summary>
    public Tensor? AttentionMask { get; init; }

    /// <summary>[N, C * T * P * P] image patches (image processor).</summary>
    public Tensor? PixelValues { get; init; }

    /// <summary>[numImages, 3].</summary>
    public Tensor? ImageGridThw { get; init; }

    /// <summary>[N, C * T * P * P] video patches (video processor).</summary>
    public Tensor? PixelValuesVideos { get; init; }

    /// <summary>[numVideos, 3].</summary>
    public Tensor? VideoGridThw { get; init; }

    /// <summary>[numVideos] seconds per temporal grid step.</summary>
    public Tensor? VideoSecondPerGrid { get; init; }

    /// <summary>[numAudios, mel, frames] log-mel features (Whisper feature extractor).</summary>
    public Tensor? InputFeatures { get; init; }

    /// <summary>[numAudios, frames] 0/1, which frames are real audio.</summary>
    public Tensor? FeatureAttentionMask { get; init; }

    /// <summary>Video and its audio track are interleaved in chunks (TMRoPE).</summary>
    public bool UseAudioInVideo { get; init; }
}
