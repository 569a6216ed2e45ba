using static TorchSharp.torch;

namespace Streamer.Models.Memory;

/// <summary>
/// The vision encoder's output for one clip of whole frame groups, waiting to be prefilled by
/// <see cref="StreamingVideoMemory.AppendEncoded"/>: merged embeddings
/// [<see cref="Groups"/> * <see cref="Rows"/> * <see cref="Cols"/>, out_hidden] on the vision
/// device in the encoder's dtype, and the media time of its first group. It owns the tensor
/// outside every dispose scope, so it can travel a channel to the thread that prefills it;
/// whoever holds it last disposes it.
/// </summary>
public sealed class EncodedFrameGroup : IDisposable
{
    private Tensor? _embeddings;

    internal EncodedFrameGroup(Tensor embeddings, int groups, long rows, long cols, TimeSpan mediaStart, float secondsPerGroup)
    {
        _embeddings = embeddings;
        Groups = groups;
        Rows = rows;
        Cols = cols;
        MediaStart = mediaStart;
        SecondsPerGroup = secondsPerGroup;
    }

    /// <summary>The merged embeddings; throws once disposed.</summary>
    public Tensor Embeddings => _embeddings ?? throw new ObjectDisposedException(nameof(EncodedFrameGroup));

    /// <summary>Frame groups (temporal patches); each becomes one block.</summary>
    public int Groups { get; }

    /// <summary>Merged patch rows and columns of every group.</summary>
    public long Rows { get; }

    public long Cols { get; }

    public long TokensPerGroup => Rows * Cols;

    /// <summary>Media time of the first group; each group lasts <see cref="SecondsPerGroup"/>.</summary>
    public TimeSpan MediaStart { get; }

    /// <summary>The processor's second_per_grid, kept in float32 as the reference computes positions with it.</summary>
    public float SecondsPerGroup { get; }

    public void Dispose()
    {
        Interlocked.Exchange(ref _embeddings, null)?.Dispose();
    }
}
