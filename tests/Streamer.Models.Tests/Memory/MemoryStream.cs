using Streamer.Models.Processing;
using Streamer.Models.Qwen25Omni;
using static TorchSharp.torch;

namespace Streamer.Models.Tests.Memory;

/// <summary>
/// A deterministic synthetic stream for the tiny fixture model: random RGB frames of 84x56
/// (a 4x6 patch grid, 2x3 = 6 tokens per frame pair, rows and columns differ so a swapped axis
/// shows), sampled at 2 fps, with a chat prompt split into the sink before the video and the
/// question after it.
/// </summary>
internal static class MemoryStream
{
    public const int Width = 84;
    public const int Height = 56;
    public const double Fps = 2.0;
    public const int TokensPerBlock = 6;

    public static Qwen2VLVideoProcessor Processor() =>
        new(new Qwen2VLImageProcessorOptions { MinPixels = Width * Height, MaxPixels = Width * Height });

    public static TimedFrame[] Frames(int count, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(i =>
        {
            var pixels = new byte[Width * Height * 3];
            rng.NextBytes(pixels);
            return new TimedFrame(new RgbImage(pixels, Width, Height), i / Fps);
        }).ToArray();
    }

    /// <summary>Text + &lt;|vision_bos|&gt;: everything before the video.</summary>
    public static long[] SinkIds(Qwen25OmniThinkerConfig config, int seed) =>
        [.. Text(config, 5, seed), config.VisionStartTokenId];

    /// <summary>&lt;|vision_eos|&gt; + question text: everything after the video.</summary>
    public static long[] QuestionIds(Qwen25OmniThinkerConfig config, int seed) =>
        [config.VisionEndTokenId, .. Text(config, 6, seed)];

    public static long[] Text(Qwen25OmniThinkerConfig config, int length, int seed)
    {
        var rng = new Random(seed);
        // Plain text ids below the lowest special id.
        var limit = (int)config.AudioTokenIndex;
        return Enumerable.Range(0, length).Select(_ => (long)rng.Next(0, limit)).ToArray();
    }

    public static Tensor Row(long[] ids) => tensor(ids, [1, ids.Length]);
}
