using TorchSharp;
using static TorchSharp.torch;

namespace Streamer.Models.Processing;

/// <summary>
/// Qwen2-VL video processor: frames of one clip are resized to one smart_resize size,
/// normalised, and consecutive temporal_patch_size frames form one temporal patch. With a
/// sampling rate, frames are first picked from their timestamps at that rate, and each temporal
/// patch then spans temporal_patch_size / fps seconds (the processor's second_per_grid).
/// </summary>
public sealed class Qwen2VLVideoProcessor(Qwen2VLImageProcessorOptions? options = null)
{
    public Qwen2VLImageProcessorOptions Options { get; } = options ?? new Qwen2VLImageProcessorOptions { MaxPixels = 768 * 28 * 28, MinPixels = 128 * 28 * 28 };

    /// <summary>
    /// Frames of one clip as they are (do_sample_frames=False); <paramref name="fps"/> is the rate
    /// they were taken at and sets second_per_grid.
    /// </summary>
    public Qwen2VLVisionInputs Process(IReadOnlyList<RgbImage> frames, double fps)
    {
        if (frames.Count == 0)
        {
            throw new ArgumentException("no frame to process");
        }
        if (!(fps > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(fps), fps, "frame rate must be positive");
        }
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var first = frames[0];
        var (h, w) = Qwen2VLPatchify.SmartResize(first.Height, first.Width, Options.Factor, Options.MinPixels, Options.MaxPixels);
        var normalized = Qwen2VLPatchify.ResizeAndNormalize(frames, h, w, Options);
        var (patches, grid) = Qwen2VLPatchify.Patchify(normalized, Options);
        return new Qwen2VLVisionInputs(
            patches.MoveToOuterDisposeScope(),
            tensor(grid, [1, 3]).MoveToOuterDisposeScope(),
            tensor(new[] { (float)(Options.TemporalPatchSize / fps) }).MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Samples timestamped frames at <paramref name="fps"/> (for each sample time from the first
    /// frame on, the latest frame at or before it), keeps a whole number of temporal patches and
    /// processes them.
    /// </summary>
    public Qwen2VLVisionInputs Process(IReadOnlyList<TimedFrame> frames, double fps)
    {
        var picked = SampleFrames(frames, fps, Options.TemporalPatchSize);
        return Process(picked.Select(f => f.Image).ToArray(), fps);
    }

    /// <summary>
    /// The frames at times t0, t0 + 1/fps, ... up to the last frame's time, each the latest frame
    /// not after its sample time, cut to a multiple of <paramref name="temporalPatchSize"/> (at
    /// least one patch: a short clip repeats its last frame instead).
    /// </summary>
    public static IReadOnlyList<TimedFrame> SampleFrames(IReadOnlyList<TimedFrame> frames, double fps, int temporalPatchSize)
    {
        if (frames.Count == 0)
        {
            throw new ArgumentException("no frame to sample");
        }
        if (!(fps > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(fps), fps, "sampling rate must be positive");
        }
        var ordered = frames.OrderBy(f => f.Seconds).ToArray();
        var (start, end) = (ordered[0].Seconds, ordered[^1].Seconds);
        var picked = new List<TimedFrame>();
        var next = 0;
        // Sample times come from an index, not a running sum, so rounding does not drift.
        for (var k = 0L; ; k++)
        {
            var t = start + k / fps;
            if (t > end + 1e-9)
            {
                break;
            }
            while (next + 1 < ordered.Length && ordered[next + 1].Seconds <= t + 1e-9)
            {
                next++;
            }
            picked.Add(ordered[next]);
        }
        var whole = picked.Count / temporalPatchSize * temporalPatchSize;
        return whole > 0 ? picked.Take(whole).ToArray() : picked;
    }
}
