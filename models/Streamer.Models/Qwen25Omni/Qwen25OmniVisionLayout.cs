using static TorchSharp.torch;

namespace Streamer.Models.Qwen25Omni;

/// <summary>
/// Where every patch sits and which patches attend to each other, for a list of grids
/// (temporal, height, width in patches): the reference's rot_pos_emb ids, get_window_index and
/// cu_seqlens, computed on the host because they depend only on the grid shapes.
/// </summary>
/// <param name="RotaryPositionIds">[N, 2] (row, column) per patch in merge-unit raster order, flattened.</param>
/// <param name="WindowIndex">Merge-unit permutation that groups merge units window by window.</param>
/// <param name="CuWindowSeqlens">Window boundaries in patches as get_window_index returns them.</param>
/// <param name="CuSeqlens">Per-frame boundaries in patches (full-attention blocks).</param>
public sealed record Qwen25OmniVisionLayout(long[] RotaryPositionIds, long[] WindowIndex, long[] CuWindowSeqlens, long[] CuSeqlens)
{
    public long PatchCount => RotaryPositionIds.Length / 2;

    /// <summary>Window boundaries with repeated values (empty windows) removed, as the forward uses them.</summary>
    public long[] UniqueCuWindowSeqlens()
    {
        var result = new List<long>(CuWindowSeqlens.Length);
        foreach (var c in CuWindowSeqlens)
        {
            if (result.Count == 0 || result[^1] != c)
            {
                result.Add(c);
            }
        }
        return result.ToArray();
    }

    /// <summary>The inverse of <see cref="WindowIndex"/> (argsort), mapping back to raster order.</summary>
    public long[] ReverseWindowIndex()
    {
        var reverse = new long[WindowIndex.Length];
        for (var i = 0; i < WindowIndex.Length; i++)
        {
            reverse[WindowIndex[i]] = i;
        }
        return reverse;
    }

    /// <summary>Reads grid rows [num, 3] (int64 or int32) into (t, h, w) triples.</summary>
    public static long[][] ReadGrids(Tensor gridThw)
    {
        var flat = gridThw.to_type(ScalarType.Int64).cpu().contiguous().data<long>().ToArray();
        return Enumerable.Range(0, (int)gridThw.shape[0]).Select(i => flat.AsSpan(i * 3, 3).ToArray()).ToArray();
    }

    public static Qwen25OmniVisionLayout Compute(Qwen25OmniVisionConfig config, IReadOnlyList<long[]> grids)
    {
        var merge = config.SpatialMergeSize;
        var unit = (long)merge * merge;
        // Window side in merge units.
        var window = config.WindowSize / merge / config.PatchSize;
        if (window <= 0)
        {
            throw new ArgumentException($"window_size {config.WindowSize} is smaller than one merge unit");
        }

        var rotary = new List<long>();
        var windowIndex = new List<long>();
        var cuWindow = new List<long> { 0 };
        var cuSeqlens = new List<long> { 0 };
        long indexBase = 0;
        foreach (var g in grids)
        {
            var (t, h, w) = (g[0], g[1], g[2]);
            if (g.Length != 3 || t <= 0 || h <= 0 || w <= 0 || h % merge != 0 || w % merge != 0)
            {
                throw new ArgumentException($"grid [{string.Join(", ", g)}] is not a positive multiple of spatial_merge_size {merge}");
            }

            // Patches are stored merge unit by merge unit: (row block, column block, row in unit, column in unit).
            var frame = new List<long>((int)(h * w * 2));
            for (long hb = 0; hb < h / merge; hb++)
            {
                for (long wb = 0; wb < w / merge; wb++)
                {
                    for (long r = 0; r < merge; r++)
                    {
                        for (long c = 0; c < merge; c++)
                        {
                            frame.Add(hb * merge + r);
                            frame.Add(wb * merge + c);
                        }
                    }
                }
            }
            for (long f = 0; f < t; f++)
            {
                rotary.AddRange(frame);
                cuSeqlens.Add(cuSeqlens[^1] + h * w);
            }

            var (lh, lw) = (h / merge, w / merge);
            var windowsH = (lh + window - 1) / window;
            var windowsW = (lw + window - 1) / window;
            for (long f = 0; f < t; f++)
            {
                for (long wy = 0; wy < windowsH; wy++)
                {
                    for (long wx = 0; wx < windowsW; wx++)
                    {
                        long count = 0;
                        for (var y = wy * window; y < Math.Min((wy + 1) * window, lh); y++)
                        {
                            for (var x = wx * window; x < Math.Min((wx + 1) * window, lw); x++)
                            {
                                windowIndex.Add(indexBase + (f * lh + y) * lw + x);
                                count++;
                            }
                        }
                        cuWindow.Add(cuWindow[^1] + count * unit);
                    }
                }
            }
            indexBase += t * lh * lw;
        }
        return new Qwen25OmniVisionLayout(rotary.ToArray(), windowIndex.ToArray(), cuWindow.ToArray(), cuSeqlens.ToArray());
    }
}
