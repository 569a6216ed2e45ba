using System.Globalization;
using System.Text.RegularExpressions;
using TorchSharp;

namespace Streamer.Server.Models;

/// <summary>
/// Checks a configured torch device string ("cpu", "cuda", "cuda:1") before anything is loaded
/// onto it, so a wrong setting stops the server at start with the setting's name instead of
/// failing in the middle of loading weights.
/// </summary>
public static partial class ModelDevice
{
    [GeneratedRegex("^(cpu|cuda)(:([0-9]{1,3}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    /// <summary>Null when <paramref name="device"/> can be used here, else why not, naming <paramref name="setting"/>.</summary>
    public static string? Problem(string setting, string? device, Func<int> cudaDevices)
    {
        var match = Pattern().Match(device ?? "");
        if (!match.Success)
            return $"{setting}: '{device}' is not a device; use cpu, cuda or cuda:N (N the GPU's index).";
        if (match.Groups[1].Value == "cpu")
            return match.Groups[2].Success ? $"{setting}: '{device}' is not a device; the CPU takes no index (use cpu)." : null;
        var index = match.Groups[3].Success ? int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture) : 0;
        var count = cudaDevices();
        if (count == 0)
            return $"{setting}: {device} requested but CUDA is not available (TorchSharp found no CUDA libtorch or no GPU).";
        if (index >= count)
            return $"{setting}: {device} requested but only {count} CUDA device(s) are visible (cuda:0 to cuda:{count - 1}).";
        return null;
    }

    /// <summary>GPUs TorchSharp can use; 0 with the CPU-only libtorch.</summary>
    public static int CudaDevices()
    {
        try
        {
            // The CPU package has no CUDA backend to load; asking is how to find out.
            torch.InitializeDeviceType(DeviceType.CUDA);
            return torch.cuda.is_available() ? torch.cuda.device_count() : 0;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return 0;
        }
    }
}
