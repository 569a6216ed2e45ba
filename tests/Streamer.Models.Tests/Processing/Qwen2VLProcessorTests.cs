using Streamer.Models.Processing;
using static TorchSharp.torch;

namespace Streamer.Models.Tests.Processing;

public sealed class Qwen2VLProcessorTests
{
    [Theory]
    // Fits the budget: each side rounds to the nearest multiple of 28.
    [InlineData(200, 300, 3136, 1_003_520, 196, 308)]
    // Too many pixels: both sides shrink by sqrt(area / max) and floor to 28.
    [InlineData(200, 300, 3136, 20000, 112, 168)]
    // Too few pixels: both sides grow by sqrt(min / area) and ceil to 28.
    [InlineData(20, 30, 3136, 20000, 56, 84)]
    // A half rounds to even like Python's round(): 42 / 28 = 1.5 -> 2, 70 / 28 = 2.5 -> 2.
    [InlineData(42, 70, 28, 1_000_000, 56, 56)]
    public void Smart_resize_keeps_sides_multiples_of_the_factor_within_the_pixel_budget(int h, int w, int min, int max, int eh, int ew)
    {
        var (rh, rw) = Qwen2VLPatchify.SmartResize(h, w, 28, min, max);

        Assert.Equal((eh, ew), (rh, rw));
    }

    [Fact]
    public void Smart_resize_rejects_extreme_aspect_ratios()
    {
        Assert.Throws<ArgumentException>(() => Qwen2VLPatchify.SmartResize(10, 2010, 28, 3136, 20000));
    }

    [Fact]
    public void Image_rows_repeat_the_single_frame_over_the_temporal_patch()
    {
        var rng = new Random(5);
        var pixels = new byte[56 * 56 * 3];
        rng.NextBytes(pixels);
        var processor = new Qwen2VLImageProcessor(new Qwen2VLImageProcessorOptions { MinPixels = 56 * 56, MaxPixels = 56 * 56 });

        using var result = processor.Process(new RgbImage(pixels, 56, 56));
        using var scope = NewDisposeScope();

        Assert.Equal([1L, 4, 4], result.GridThw.data<long>().ToArray());
        Assert.Equal([16L, 3 * 2 * 14 * 14], result.PixelValues.shape);
        // Row layout (channel, temporal, y, x): both temporal halves of each channel are equal.
        var rows = result.PixelValues.view(16, 3, 2, 14 * 14);
        Assert.True(rows.select(2, 0).eq(rows.select(2, 1)).all().item<bool>());
        // First row, channel 0, first pixel: (x / 255 - mean) / std of the top-left red byte.
        var expected = (pixels[0] / 255.0 - 0.48145466) / 0.26862954;
        Assert.Equal(expected, rows[0, 0, 0, 0].item<float>(), 4);
    }

    [Fact]
    public void Frames_are_sampled_at_the_requested_rate_from_their_timestamps()
    {
        var image = new RgbImage(new byte[3 * 28 * 28], 28, 28);
        // 30 fps for 1 s, with one frame missing around 0.5 s.
        var frames = Enumerable.Range(0, 30).Where(i => i != 15).Select(i => new TimedFrame(image, i / 30.0)).ToArray();

        var picked = Qwen2VLVideoProcessor.SampleFrames(frames, fps: 4, temporalPatchSize: 2);

        // Sample times 0, 0.25, 0.5, 0.75 -> frames 0, 7 (0.233), 14 (0.467, 15 is missing), 22 (0.733).
        Assert.Equal([0.0, 7 / 30.0, 14 / 30.0, 22 / 30.0], picked.Select(f => f.Seconds).ToArray());
    }

    [Fact]
    public void Sampling_keeps_whole_temporal_patches()
    {
        var image = new RgbImage(new byte[3 * 28 * 28], 28, 28);
        var frames = Enumerable.Range(0, 10).Select(i => new TimedFrame(image, i * 0.1)).ToArray();

        // 0.9 s at 5 fps: samples at 0, 0.2, 0.4, 0.6, 0.8 -> 4 kept.
        var picked = Qwen2VLVideoProcessor.SampleFrames(frames, fps: 5, temporalPatchSize: 2);

        Assert.Equal(4, picked.Count);
    }

    [Fact]
    public void Odd_frame_count_repeats_the_last_frame_and_sets_second_per_grid()
    {
        var rng = new Random(11);
        var frames = Enumerable.Range(0, 3).Select(_ =>
        {
            var p = new byte[56 * 56 * 3];
            rng.NextBytes(p);
            return new RgbImage(p, 56, 56);
        }).ToArray();
        var processor = new Qwen2VLVideoProcessor(new Qwen2VLImageProcessorOptions { MinPixels = 56 * 56, MaxPixels = 56 * 56 });

        using var result = processor.Process(frames, fps: 4);
        using var scope = NewDisposeScope();

        Assert.Equal([2L, 4, 4], result.GridThw.data<long>().ToArray());
        Assert.Equal(0.5f, result.SecondPerGrid!.item<float>());
        var rows = result.PixelValues.view(2, 16, 3, 2, 14 * 14);
        // The second temporal patch holds frame 2 twice.
        Assert.True(rows[1].select(2, 0).eq(rows[1].select(2, 1)).all().item<bool>());
        Assert.False(rows[0].select(2, 0).eq(rows[0].select(2, 1)).all().item<bool>());
    }
}
