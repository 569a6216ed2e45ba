namespace Streamer.Models.Weights;

/// <summary>
/// A checkpoint that cannot be loaded as asked: bad header, truncated data, unknown dtype,
/// or a tensor that is missing, unexpected or mis-shaped. The message always names the
/// tensor (when there is one) and the file, because that is what a person fixes.
/// </summary>
public sealed class CheckpointException : Exception
{
    public CheckpointException(string message) : base(message) { }

    public CheckpointException(string message, Exception inner) : base(message, inner) { }

    public CheckpointException() { }
}
