using static TorchSharp.torch;

namespace Streamer.Models.Weights;

/// <summary>
/// One tensor's entry in a safetensors header. <see cref="DataStart"/> is absolute in the file
/// (8-byte length prefix and header already added).
/// </summary>
public sealed record SafeTensorInfo(
    string Name,
    string DType,
    ScalarType ScalarType,
    long[] Shape,
    long DataStart,
    long ByteLength,
    string File)
{
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);

    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
}
