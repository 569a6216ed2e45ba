using static TorchSharp.torch;

namespace Streamer.Models.Processing;

/// <summary>
/// Log-mel features [1, mel, frames] (float32) and the frame mask [1, frames] (int64, 1 for
/// frames that hold audio), the thinker's input_features and feature_attention_mask.
/// </summary>
public sealed record WhisperFeatures(Tensor InputFeatures, Tensor FeatureAttentionMask) : IDisposable
{
    /// <summary>Frames that hold audio (the mask's ones).</summary>
    public required long ValidFrames { get; init; }

    public void Dispose()
    {
        InputFeatures.Dispose();
        FeatureAttentionMask.Dispose();
    }
}
