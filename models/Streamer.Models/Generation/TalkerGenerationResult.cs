using static TorchSharp.torch;

namespace Streamer.Models.Generation;

/// <summary>
/// The codes of one reply, the stop code that ended it (null when it ran to the length limit) and,
/// when asked, the raw logits of every step [steps, vocab] on the CPU (the stop step included).
/// </summary>
public sealed class TalkerGenerationResult(long[] codes, long? stopCode, Tensor? stepLogits) : IDisposable
{
    public long[] Codes { get; } = codes;

    public long? StopCode { get; } = stopCode;

    public Tensor? StepLogits { get; } = stepLogits;

    public void Dispose() => StepLogits?.Dispose();
}
