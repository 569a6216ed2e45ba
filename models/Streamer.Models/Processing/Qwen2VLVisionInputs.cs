using static TorchSharp.torch;

namespace Streamer.Models.Processing;

/// <summary>
/// Processor output for images or videos: patch rows [N, C * T * P * P] (float32), the grids
/// [num, 3] (int64) and, for videos, seconds per temporal grid step [num] (float32).
/// </summary>
public sealed record Qwen2VLVisionInputs(Tensor PixelValues, Tensor GridThw, Tensor? SecondPerGrid = null) : IDisposable
{
    public void Dispose()
    {
        PixelValues.Dispose();
        GridThw.Dispose();
        SecondPerGrid?.Dispose();
    }

    /// <summary>Tokens the LLM sees per image/video: merged patches (t * h * w / merge^2).</summary>
    public long[] TokenCounts(int mergeSize)
    {
        var g = GridThw.data<long>().ToArray();
        return Enumerable.Range(0, (int)GridThw.shape[0]).Select(i => g[i * 3] * g[i * 3 + 1] * g[i * 3 + 2] / (mergeSize * mergeSize)).ToArray();
    }
}
