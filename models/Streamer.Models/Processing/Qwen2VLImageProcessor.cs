using TorchSharp;
using static TorchSharp.torch;

namespace Streamer.Models.Processing;

/// <summary>
/// Qwen2-VL image processor: each image is resized to its smart_resize size, normalised and cut
/// into patch rows; a still image is repeated over the temporal patch so it looks like a
/// temporal_patch_size-frame clip.
/// </summary>
public sealed class Qwen2VLImageProcessor(Qwen2VLImageProcessorOptions? options = null)
{
    public Qwen2VLImageProcessorOptions Options { get; } = options ?? new Qwen2VLImageProcessorOptions();

    public Qwen2VLVisionInputs Process(params RgbImage[] images) => Process((IReadOnlyList<RgbImage>)images);

    public Qwen2VLVisionInputs Process(IReadOnlyList<RgbImage> images)
    {
        if (images.Count == 0)
        {
            throw new ArgumentException("no image to process");
        }
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var rows = new List<Tensor>(images.Count);
        var grids = new List<long>(images.Count * 3);
        foreach (var image in images)
        {
            image.Validate();
            var (h, w) = Qwen2VLPatchify.SmartResize(image.Height, image.Width, Options.Factor, Options.MinPixels, Options.MaxPixels);
            var frame = Qwen2VLPatchify.ResizeAndNormalize([image], h, w, Options);
            var (patches, grid) = Qwen2VLPatchify.Patchify(frame, Options);
            rows.Add(patches);
            grids.AddRange(grid);
        }
        return new Qwen2VLVisionInputs(
            cat(rows, 0).MoveToOuterDisposeScope(),
            tensor(grids.ToArray(), [images.Count, 3]).MoveToOuterDisposeScope());
    }
}
