using TorchSharp;

namespace Streamer.Models.Tests.Devices;

public sealed class ModelDeviceOptionsTests
{
    [Fact]
    public void Cpu_float32_is_the_default()
    {
        var options = new ModelDeviceOptions();

        Assert.Equal(DeviceType.CPU, options.TorchDevice.type);
        Assert.Equal(torch.ScalarType.Float32, options.ScalarType);
    }

    [Fact]
    public void Cuda_without_a_cuda_libtorch_fails_with_a_clear_message()
    {
        if (torch.cuda.is_available()) return; // On a GPU host the device is simply used.
        var options = new ModelDeviceOptions { Device = "cuda:0", DType = "bfloat16" };

        var error = Assert.Throws<InvalidOperationException>(() => options.TorchDevice);

        Assert.Contains("CUDA is not available", error.Message);
        Assert.Equal(torch.ScalarType.BFloat16, options.ScalarType);
    }

    [Fact]
    public void Unknown_dtype_is_rejected_by_name()
    {
        var error = Assert.Throws<ArgumentException>(() => new ModelDeviceOptions { DType = "int3" }.ScalarType);
        Assert.Contains("int3", error.Message);
    }
}
