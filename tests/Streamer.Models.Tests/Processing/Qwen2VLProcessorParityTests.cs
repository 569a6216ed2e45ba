using Streamer.Models.Processing;
using Streamer.Models.Tests.Fixtures;
using Streamer.Models.Tests.Qwen25Omni;
using static TorchSharp.torch;

namespace Streamer.Models.Tests.Processing;

[Trait("Category", "Parity")]
public sealed class Qwen2VLProcessorParityTests
{
    /// <summary>
    /// Normalised pixels: the resize runs on the same libtorch uint8 antialiased bicubic kernel as
    /// the reference's torchvision backend and matches it bit for bit here; the margin only
    /// covers float32 rounding of the normalisation.
    /// </summary>
    private const double PixelAtol = 1e-5;

    public static TheoryData<string, string> ImageCases => FixtureData.Case("image_processor");

    public static TheoryData<string, string> VideoCases => FixtureData.Case("video_processor");

    internal static RgbImage ImageOf(Tensor hwc) =>
        new(hwc.contiguous().data<byte>().ToArray(), (int)hwc.shape[1], (int)hwc.shape[0]);

    [Theory]
    [MemberData(nameof(ImageCases))]
    public void Image_processor_matches_reference_pixel_values_and_grid_for_both_pixel_budgets(string folder, string caseName)
    {
        using var c = FixtureCase.Open(folder, caseName);
        using var scope = NewDisposeScope();
        var image = ImageOf(c.Input("image_uint8_hwc"));
        // The budgets the reference call used (cases.json: MAXP 20000 for *_a, 31360 for *_b).
        (string Suffix, int MaxPixels)[] budgets = [("a", 20000), ("b", 31360)];

        foreach (var (suffix, maxPixels) in budgets)
        {
            var processor = new Qwen2VLImageProcessor(new Qwen2VLImageProcessorOptions { MinPixels = 3136, MaxPixels = maxPixels });

            using var result = processor.Process(image);

            ThinkerFixture.AssertEqualLongs(c.Output($"image_grid_thw_{suffix}"), result.GridThw, $"image_grid_thw_{suffix}");
            ThinkerFixture.AssertClose(c.Output($"pixel_values_{suffix}"), result.PixelValues, $"pixel_values_{suffix}", PixelAtol);
        }
    }

    [Theory]
    [MemberData(nameof(VideoCases))]
    public void Video_processor_matches_reference_pixel_values_grid_and_second_per_grid(string folder, string caseName)
    {
        using var c = FixtureCase.Open(folder, caseName);
        using var scope = NewDisposeScope();
        var video = c.Input("video_uint8_thwc");
        var frames = Enumerable.Range(0, (int)video.shape[0]).Select(i => ImageOf(video[i])).ToArray();
        var processor = new Qwen2VLVideoProcessor(new Qwen2VLImageProcessorOptions { MinPixels = 3136, MaxPixels = 12544 });

        // The fixture's prompts use fps 2: second_per_grid = temporal_patch_size / fps = 1.
        using var result = processor.Process(frames, fps: 2.0);

        ThinkerFixture.AssertEqualLongs(c.Output("video_grid_thw"), result.GridThw, "video_grid_thw");
        ThinkerFixture.AssertClose(c.Output("pixel_values_videos"), result.PixelValues, "pixel_values_videos", PixelAtol);
        using var common = FixtureCase.Open(folder, "thinker_video_prompt");
        ThinkerFixture.AssertClose(common.Input("video_second_per_grid"), result.SecondPerGrid!, "video_second_per_grid", 0);
    }
}
