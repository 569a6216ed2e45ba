using static TorchSharp.torch;

namespace Streamer.Models.Qwen25Omni;

/// <summary>
/// The talker's prompt forward: codec logits [1, L', vocab] (float32, the last positions asked
/// for), TMRoPE positions [3, 1, L] and the rope delta [1, 1] that the decode steps continue from.
/// </summary>
public sealed record TalkerPrefillOutput(Tensor Logits, Tensor PositionIds, Tensor RopeDeltas) : IDisposable
{
    public void Dispose()
    {
        Logits.Dispose();
        PositionIds.Dispose();
        RopeDeltas.Dispose();
    }
}
