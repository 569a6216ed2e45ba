using static TorchSharp.torch;

namespace Streamer.Models.Generation;

/// <summary>New tokens per row (pad after a row stopped) and, when asked, step logits [steps, B, vocab] on the CPU.</summary>
public sealed class GenerationResult(long[][] newTokens, Tensor? stepLogits) : IDisposable
{
    public long[][] NewTokens { get; } = newTokens;

    public Tensor? StepLogits { get; } = stepLogits;

    public void Dispose() => StepLogits?.Dispose();
}
