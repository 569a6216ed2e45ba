using TorchSharp;
using static TorchSharp.torch;

namespace Streamer.Models.Memory;

/// <summary>
/// How a block's bytes reach the model's device. On CUDA they are staged in page-locked host
/// memory, which lets the copy to the GPU run asynchronously (non-blocking) instead of going
/// through a driver-side bounce buffer; libtorch's pinned allocator caches those buffers and
/// keeps each one until its copy has finished. On the CPU pinning buys nothing, and without
/// CUDA it is not possible, so the plain path is used.
/// </summary>
internal static class BlockUpload
{
    /// <summary>Whether uploads to <paramref name="device"/> go through pinned staging on this machine.</summary>
    public static bool UsesPinnedStaging(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return UsesPinnedStaging(device.type, device.type == DeviceType.CUDA && torch.cuda.is_available());
    }

    /// <summary>The rule: pinned staging only for a CUDA device on a machine where CUDA is available.</summary>
    public static bool UsesPinnedStaging(DeviceType deviceType, bool cudaAvailable) =>
        deviceType == DeviceType.CUDA && cudaAvailable;
}
