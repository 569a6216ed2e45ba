namespace Streamer.KvStore;

/// <summary>
/// Everything about a KV block except its tensor bytes. The store never interprets the
/// payload; the metadata is what lets the model rebuild tensors (dtype, shapes, rotary
/// positions) and what retrieval scores (one retrieval key per layer).
/// </summary>
public sealed class KvBlockMetadata
{
    public const int MaxLayers = 4096;
    public const int MaxRank = 8;
    public const int MaxDTypeLength = 32;

    /// <param name="id">The block's session and sequence number.</param>
    /// <param name="mediaStart">Media time of the block's first frame on the session clock.</param>
    /// <param name="mediaEnd">Media time just after the block's last frame.</param>
    /// <param name="tokenCount">Tokens the block holds (the same in every layer).</param>
    /// <param name="dType">Element type of the payload tensors, as the model names it (<c>bfloat16</c>).</param>
    /// <param name="layerShapes">Per layer, the shape of that layer's slice of the payload
    /// (for example [2, kvHeads, tokens, headDim] for stacked keys and values).</param>
    /// <param name="rotaryRows">Rows of <paramref name="rotaryPositions"/>: 3 for multimodal RoPE
    /// (time, height, width), 1 for plain RoPE, 0 when positions are not kept.</param>
    /// <param name="rotaryPositions">Row-major [rotaryRows, tokenCount] rotary position ids.</param>
    /// <param name="retrievalKeys">Per layer, the block's keys averaged over its tokens with the
    /// heads concatenated; all layers have the same length.</param>
    public KvBlockMetadata(
        KvBlockId id,
        TimeSpan mediaStart,
        TimeSpan mediaEnd,
        int tokenCount,
        string dType,
        int[][] layerShapes,
        int rotaryRows,
        int[] rotaryPositions,
        float[][] retrievalKeys)
    {
        if (id.SessionId is null)
        {
            throw new ArgumentException("The block id is the default value.", nameof(id));
        }
        if (mediaEnd < mediaStart)
        {
            throw new ArgumentException("Media end precedes media start.", nameof(mediaEnd));
        }
        ArgumentOutOfRangeException.ThrowIfNegative(tokenCount);
        ArgumentException.ThrowIfNullOrEmpty(dType);
        if (dType.Length > MaxDTypeLength || !System.Text.Ascii.IsValid(dType))
        {
            throw new ArgumentException($"The dtype must be at most {MaxDTypeLength} ASCII characters.", nameof(dType));
        }
        ArgumentNullException.ThrowIfNull(layerShapes);
        ArgumentNullException.ThrowIfNull(rotaryPositions);
        ArgumentNullException.ThrowIfNull(retrievalKeys);
        if (layerShapes.Length is 0 or > MaxLayers)
        {
            throw new ArgumentException($"A block has between 1 and {MaxLayers} layers.", nameof(layerShapes));
        }
        foreach (int[] shape in layerShapes)
        {
            if (shape is null || shape.Length > MaxRank || shape.Any(d => d < 0))
            {
                throw new ArgumentException($"Each layer shape has at most {MaxRank} non-negative dimensions.", nameof(layerShapes));
            }
        }
        ArgumentOutOfRangeException.ThrowIfNegative(rotaryRows);
        if ((long)rotaryRows * tokenCount != rotaryPositions.Length)
        {
            throw new ArgumentException("Rotary positions must hold rotaryRows x tokenCount values.", nameof(rotaryPositions));
        }
        if (retrievalKeys.Length != layerShapes.Length)
        {
            throw new ArgumentException("There must be one retrieval key per layer.", nameof(retrievalKeys));
        }
        int dim = retrievalKeys[0]?.Length ?? 0;
        if (dim == 0 || retrievalKeys.Any(k => k is null || k.Length != dim))
        {
            throw new ArgumentException("Retrieval keys must be non-empty and of one length in every layer.", nameof(retrievalKeys));
        }

        Id = id;
        MediaStart = mediaStart;
        MediaEnd = mediaEnd;
        TokenCount = tokenCount;
        DType = dType;
        LayerShapes = layerShapes;
        RotaryRows = rotaryRows;
        RotaryPositions = rotaryPositions;
        RetrievalKeys = retrievalKeys;
    }

    public KvBlockId Id { get; }

    public TimeSpan MediaStart { get; }

    public TimeSpan MediaEnd { get; }

    public int TokenCount { get; }

    public int LayerCount => LayerShapes.Length;

    public string DType { get; }

    public int[][] LayerShapes { get; }

    public int RotaryRows { get; }

    public int[] RotaryPositions { get; }

    public float[][] RetrievalKeys { get; }

    /// <summary>Length of each layer's retrieval key.</summary>
    public int RetrievalDimension => RetrievalKeys[0].Length;
}
