using TorchSharp;
using static TorchSharp.torch;

namespace Streamer.Models;

/// <summary>
/// Where a model stage runs: a torch device string ("cpu", "cuda:0") and a dtype name
/// ("float32", "bfloat16", "float16"). CPU float32 is the reference; CUDA bfloat16 is production.
/// </summary>
public sealed record ModelDeviceOptions
{
    public string Device { get; init; } = "cpu";

    public string DType { get; init; } = "float32";

    public static ModelDeviceOptions Cpu { get; } = new();

    private static readonly Lazy<bool> CudaReady = new(() =>
    {
        // TorchSharp loads the CUDA backend only when asked; the CPU package has none.
        try
        {
            torch.InitializeDeviceType(DeviceType.CUDA);
            return torch.cuda.is_available();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return false;
        }
    });

    public Device TorchDevice
    {
        get
        {
            if (Device.StartsWith("cuda", StringComparison.OrdinalIgnoreCase) && !CudaReady.Value)
                throw new InvalidOperationException($"Model device '{Device}' was configured but CUDA is not available to TorchSharp (a CUDA libtorch must be on the library path).");
            return torch.device(Device);
        }
    }

    public ScalarType ScalarType => DType.ToLowerInvariant() switch
    {
        "float32" or "fp32" or "f32" => ScalarType.Float32,
        "bfloat16" or "bf16" => ScalarType.BFloat16,
        "float16" or "fp16" or "f16" or "half" => ScalarType.Float16,
        "float64" or "fp64" => ScalarType.Float64,
        _ => throw new ArgumentException($"unsupported model dtype '{DType}'"),
    };
}
