using TorchSharp;
using static TorchSharp.torch;

namespace Streamer.Models.Processing;

/// <summary>
/// The steps the Qwen2-VL image and video processors share: smart_resize, bicubic resize of
/// uint8 frames, fused rescale + normalise, and the cut into flattened (channel, temporal, y, x)
/// patch rows ordered merge unit by merge unit.
/// </summary>
public static class Qwen2VLPatchify
{
    /// <summary>
    /// smart_resize: the side lengths closest to (height, width) that are multiples of
    /// <paramref name="factor"/> and whose area lies within [minPixels, maxPixels].
    /// </summary>
    public static (int Height, int Width) SmartResize(int height, int width, int factor, int minPixels, int maxPixels)
    {
        if (Math.Max(height, width) / (double)Math.Min(height, width) > 200)
        {
            throw new ArgumentException($"absolute aspect ratio must be smaller than 200, got {Math.Max(height, width) / (double)Math.Min(height, width)}");
        }
        // Python's round() rounds halves to even, as Math.Round does.
        var hBar = (int)Math.Round(height / (double)factor) * factor;
        var wBar = (int)Math.Round(width / (double)factor) * factor;
        if ((long)hBar * wBar > maxPixels)
        {
            var beta = Math.Sqrt(height * (double)width / maxPixels);
            hBar = Math.Max(factor, (int)Math.Floor(height / beta / factor) * factor);
            wBar = Math.Max(factor, (int)Math.Floor(width / beta / factor) * factor);
        }
        else if ((long)hBar * wBar < minPixels)
        {
            var beta = Math.Sqrt(minPixels / (height * (double)width));
            hBar = (int)Math.Ceiling(height * beta / factor) * factor;
            wBar = (int)Math.Ceiling(width * beta / factor) * factor;
        }
        return (hBar, wBar);
    }

    /// <summary>
    /// Frames [T, 3, H, W] uint8 from RGB24 images of one size, resized with antialiased bicubic
    /// interpolation on uint8 (torchvision's CPU path) and normalised to float32.
    /// </summary>
    public static Tensor ResizeAndNormalize(IReadOnlyList<RgbImage> frames, int height, int width, Qwen2VLImageProcessorOptions options)
    {
        using var scope = NewDisposeScope();
        var (h, w) = (frames[0].Height, frames[0].Width);
        var stacked = new Tensor[frames.Count];
        for (var i = 0; i < frames.Count; i++)
        {
            frames[i].Validate();
            if (frames[i].Height != h || frames[i].Width != w)
            {
                throw new ArgumentException("every frame of a video must have the same size");
            }
            stacked[i] = tensor(frames[i].Pixels, [h, w, 3]).permute(2, 0, 1);
        }
        var images = stack(stacked);
        if (h != height || w != width)
        {
            images = nn.functional.interpolate(images, [height, width], mode: InterpolationMode.Bicubic, align_corners: false, antialias: true);
        }
        // Rescale folded into normalise: (x - mean / factor) / (std / factor), in float32.
        var scale = (float)(1.0 / options.RescaleFactor);
        var mean = (tensor(options.ImageMean) * scale).view(1, -1, 1, 1);
        var std = (tensor(options.ImageStd) * scale).view(1, -1, 1, 1);
        return ((images.to_type(ScalarType.Float32) - mean) / std).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Frames [T, C, H, W] -> rows [gridT * gridH * gridW, C * temporal * P * P] and the grid; the
    /// last frame is repeated until T is a multiple of temporal_patch_size.
    /// </summary>
    public static (Tensor Rows, long[] GridThw) Patchify(Tensor frames, Qwen2VLImageProcessorOptions options)
    {
        using var scope = NewDisposeScope();
        var temporal = options.TemporalPatchSize;
        var remainder = frames.shape[0] % temporal;
        if (remainder != 0)
        {
            var last = frames.narrow(0, frames.shape[0] - 1, 1);
            frames = cat([frames, last.expand(temporal - remainder, -1, -1, -1)], 0);
        }
        var (t, c, h, w) = (frames.shape[0], frames.shape[1], frames.shape[2], frames.shape[3]);
        var (p, m) = ((long)options.PatchSize, (long)options.MergeSize);
        var (gridT, gridH, gridW) = (t / temporal, h / p, w / p);
        var patches = frames.reshape(gridT, temporal, c, gridH / m, m, p, gridW / m, m, p)
            .permute(0, 3, 6, 4, 7, 2, 1, 5, 8)
            .reshape(gridT * gridH * gridW, c * temporal * p * p);
        return (patches.MoveToOuterDisposeScope(), [gridT, gridH, gridW]);
    }
}
