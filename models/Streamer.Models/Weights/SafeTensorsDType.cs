using static TorchSharp.torch;

namespace Streamer.Models.Weights;

/// <summary>The safetensors dtype strings this loader understands and how torch stores them.</summary>
public static class SafeTensorsDType
{
    public static bool TryGet(string dtype, out ScalarType scalarType, out int elementSize)
    {
        (scalarType, elementSize) = dtype switch
        {
            "F64" => (ScalarType.Float64, 8),
            "F32" => (ScalarType.Float32, 4),
            "F16" => (ScalarType.Float16, 2),
            "BF16" => (ScalarType.BFloat16, 2),
            "I64" => (ScalarType.Int64, 8),
            "I32" => (ScalarType.Int32, 4),
            "I16" => (ScalarType.Int16, 2),
            "I8" => (ScalarType.Int8, 1),
            "U8" => (ScalarType.Byte, 1),
            "BOOL" => (ScalarType.Bool, 1),
            _ => ((ScalarType)(-1), 0),
        };
        return elementSize != 0;
    }

    /// <summary>The safetensors name of a torch dtype (for writing files).</summary>
    public static string NameOf(ScalarType scalarType) => scalarType switch
    {
        ScalarType.Float64 => "F64",
        ScalarType.Float32 => "F32",
        ScalarType.Float16 => "F16",
        ScalarType.BFloat16 => "BF16",
        ScalarType.Int64 => "I64",
        ScalarType.Int32 => "I32",
        ScalarType.Int16 => "I16",
        ScalarType.Int8 => "I8",
        ScalarType.Byte => "U8",
        ScalarType.Bool => "BOOL",
        _ => throw new ArgumentOutOfRangeException(nameof(scalarType), scalarType, "no safetensors dtype"),
    };
}
