using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streamer.Models.Qwen25Omni;

/// <summary>
/// Merges each spatial_merge_size x spatial_merge_size group of patches (consecutive rows after
/// the encoder's reordering) into one LLM token: ln_q, concatenate, Linear-GELU-Linear.
/// </summary>
public sealed class Qwen25OmniPatchMerger : nn.Module
{
    public readonly Qwen2RmsNorm ln_q;
    public readonly Sequential mlp;
    private readonly long _mergedSize;

    public Qwen25OmniPatchMerger(Qwen25OmniVisionConfig config) : base(nameof(Qwen25OmniPatchMerger))
    {
        _mergedSize = (long)config.HiddenSize * config.SpatialMergeSize * config.SpatialMergeSize;
        ln_q = new Qwen2RmsNorm(config.HiddenSize, Qwen25OmniVisionBlock.NormEps);
        mlp = nn.Sequential(
            nn.Linear(_mergedSize, _mergedSize),
            nn.GELU(),
            nn.Linear(_mergedSize, config.OutHiddenSize));
        RegisterComponents();
    }

    /// <param name="x">[N, hidden], N a multiple of the merge unit</param>
    /// <returns>[N / unit, out_hidden]</returns>
    public Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return mlp.forward(ln_q.forward(x).view(-1, _mergedSize)).MoveToOuterDisposeScope();
    }
}
