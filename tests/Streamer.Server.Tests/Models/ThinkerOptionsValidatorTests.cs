using Microsoft.Extensions.Options;
using Streamer.Server.Models;
using Streamer.Server.Tests.Infrastructure;

namespace Streamer.Server.Tests.Models;

public sealed class ThinkerOptionsValidatorTests
{
    private static ValidateOptionsResult Validate(ThinkerOptions options, int gpus) =>
        new ThinkerOptionsValidator(() => gpus).Validate(null, options);

    [Theory]
    [InlineData("cpu", null, 0)]
    [InlineData("cuda", null, 1)]
    [InlineData("cuda:0", "cuda:1", 2)]
    [InlineData("cpu", "cuda:0", 1)]
    public void Devices_that_exist_are_accepted(string device, string? vision, int gpus)
    {
        Assert.True(Validate(new ThinkerOptions { Device = device, VisionDevice = vision }, gpus).Succeeded);
    }

    [Fact]
    public void Cuda_without_a_gpu_is_refused_naming_the_setting()
    {
        var result = Validate(new ThinkerOptions { Device = "cuda:0" }, gpus: 0);

        Assert.Equal(["Models:Thinker:Device: cuda:0 requested but CUDA is not available (TorchSharp found no CUDA libtorch or no GPU)."],
            result.Failures);
    }

    [Fact]
    public void Gpu_index_beyond_the_visible_ones_is_refused_for_the_vision_stage()
    {
        var result = Validate(new ThinkerOptions { Device = "cuda:0", VisionDevice = "cuda:1" }, gpus: 1);

        Assert.Equal(["Models:Thinker:VisionDevice: cuda:1 requested but only 1 CUDA device(s) are visible (cuda:0 to cuda:0)."],
            result.Failures);
    }

    [Theory]
    [InlineData("gpu0")]
    [InlineData("cuda:x")]
    [InlineData("CUDA:0 ")]
    [InlineData("cpu:1")]
    [InlineData("")]
    public void Malformed_device_strings_are_refused_by_name(string device)
    {
        var failure = Assert.Single(Validate(new ThinkerOptions { Device = device }, gpus: 8).Failures!);

        Assert.StartsWith($"Models:Thinker:Device: '{device}' is not a device", failure);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var result = Validate(new ThinkerOptions { Device = "tpu", VisionDevice = "cuda:3", DType = "int3" }, gpus: 0);

        Assert.Equal(3, result.Failures!.Count());
        Assert.Contains(result.Failures!, f => f.StartsWith("Models:Thinker:DType: 'int3'", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("Models:Thinker:Device: 'tpu'", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("Models:Thinker:VisionDevice: cuda:3 requested but CUDA is not available", StringComparison.Ordinal));
    }

    [Fact]
    public void Server_does_not_start_on_a_gpu_it_cannot_see()
    {
        // TorchSharp's own answer: with the CPU libtorch no GPU, and no machine has a hundredth.
        var error = Assert.ThrowsAny<Exception>(() => KestrelStreamer.Start(("Models:Thinker:VisionDevice", "cuda:99")));

        Assert.Contains("Models:Thinker:VisionDevice: cuda:99 requested but", error.ToString());
    }
}
