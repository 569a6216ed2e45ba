using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streamer.Models.Qwen25Omni;

/// <summary>
/// What the vision encoder returns: <paramref name="MergedEmbeddings"/> [N / unit, out_hidden] in
/// raster (placeholder) order, and the last block's output [N, hidden] in window order.
/// </summary>
public sealed record Qwen25OmniVisionOutput(Tensor MergedEmbeddings, Tensor LastHiddenState) : IDisposable
{
    public void Dispose()
    {
        MergedEmbeddings.Dispose();
        LastHiddenState.Dispose();
    }
}

/// <summary>
/// Qwen2.5-Omni vision encoder (<c>thinker.visual</c>), a Qwen2.5-VL ViT: Conv3d patch embedding,
/// 2D rotary over (row, column) patch coordinates, blocks that attend inside windows except the
/// <c>fullatt_block_indexes</c> ones (whole frames), and a patch merger. Patches are reordered
/// window by window before the blocks and merged tokens are put back in raster order at the end.
/// </summary>
public sealed class Qwen25OmniVisionEncoder : nn.Module
{
    public readonly Qwen25OmniVisionPatchEmbed patch_embed;
    public readonly ModuleList<Qwen25OmniVisionBlock> blocks;
    public readonly Qwen25OmniPatchMerger merger;
    private readonly Qwen25OmniVisionConfig _config;
    private readonly HashSet<int> _fullAttention;
    private readonly double _ropeTheta;

    public Qwen25OmniVisionEncoder(Qwen25OmniVisionConfig config) : base(nameof(Qwen25OmniVisionEncoder))
    {
        _config = config;
        _fullAttention = [.. config.FullattBlockIndexes];
        // Qwen2_5_VisionRotaryEmbedding defaults to 10000 when the config names no theta.
        _ropeTheta = config.RopeParameters?.RopeTheta ?? 10000.0;
        patch_embed = new Qwen25OmniVisionPatchEmbed(config);
        blocks = new ModuleList<Qwen25OmniVisionBlock>(Enumerable.Range(0, config.Depth).Select(_ => new Qwen25OmniVisionBlock(config)).ToArray());
        merger = new Qwen25OmniPatchMerger(config);
        RegisterComponents();
    }

    public Qwen25OmniVisionConfig Config => _config;

    /// <param name="pixelValues">[N, C * T * P * P] rows from the image or video processor.</param>
    /// <param name="gridThw">[num, 3] grids (temporal, height, width in patches) of the images or videos.</param>
    public Qwen25OmniVisionOutput forward(Tensor pixelValues, Tensor gridThw) =>
        forward(pixelValues, Qwen25OmniVisionLayout.Compute(_config, Qwen25OmniVisionLayout.ReadGrids(gridThw)));

    public Qwen25OmniVisionOutput forward(Tensor pixelValues, Qwen25OmniVisionLayout layout)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var weight = patch_embed.proj.weight!;
        var device = weight.device;
        var n = pixelValues.shape[0];
        if (n != layout.PatchCount)
        {
            throw new ArgumentException($"{n} pixel rows but the grids describe {layout.PatchCount} patches");
        }
        var unit = (long)_config.SpatialMergeSize * _config.SpatialMergeSize;
        var hidden = patch_embed.forward(pixelValues);

        var windowIndex = tensor(layout.WindowIndex, device: device);
        hidden = hidden.view(n / unit, unit, -1).index_select(0, windowIndex).reshape(n, -1);
        var (cos, sin) = RotaryTables(layout, windowIndex, device);

        var windows = layout.UniqueCuWindowSeqlens();
        for (var i = 0; i < blocks.Count; i++)
        {
            hidden = blocks[i].forward(hidden, cos, sin, _fullAttention.Contains(i) ? layout.CuSeqlens : windows);
        }

        var merged = merger.forward(hidden).index_select(0, tensor(layout.ReverseWindowIndex(), device: device));
        return new Qwen25OmniVisionOutput(merged.MoveToOuterDisposeScope(), hidden.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// cos/sin [N, 1, headDim] in window order: each patch's row and column frequencies (headDim / 4
    /// each) side by side, repeated over the two rotate_half halves; float32 as the reference.
    /// </summary>
    private (Tensor Cos, Tensor Sin) RotaryTables(Qwen25OmniVisionLayout layout, Tensor windowIndex, Device device)
    {
        var dim = _config.HeadDim / 2;
        var exponent = arange(0, dim, 2, ScalarType.Float32, device) / dim;
        var invFreq = pow(full(exponent.shape, _ropeTheta, ScalarType.Float32, device), exponent).reciprocal();
        var n = layout.PatchCount;
        var unit = (long)_config.SpatialMergeSize * _config.SpatialMergeSize;
        var ids = tensor(layout.RotaryPositionIds, [n, 2], device: device).to_type(ScalarType.Float32);
        var freqs = (ids.unsqueeze(-1) * invFreq).reshape(n, dim);
        freqs = freqs.view(n / unit, unit, dim).index_select(0, windowIndex).reshape(n, 1, dim);
        var cos = freqs.cos().repeat(1, 1, 2);
        var sin = freqs.sin().repeat(1, 1, 2);
        return (cos, sin);
    }
}
