using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streamer.Models.Qwen25Omni;

/// <summary>
/// Qwen2_5_VisionPatchEmbed: each row of pixel values is one (channel, temporal, y, x) patch;
/// a Conv3d whose kernel equals its stride turns it into one hidden vector.
/// </summary>
public sealed class Qwen25OmniVisionPatchEmbed : nn.Module
{
    public readonly Conv3d proj;
    private readonly int _channels;
    private readonly int _temporal;
    private readonly int _patch;
    private readonly int _embedDim;

    public Qwen25OmniVisionPatchEmbed(Qwen25OmniVisionConfig config) : base(nameof(Qwen25OmniVisionPatchEmbed))
    {
        _channels = config.InChannels;
        _temporal = config.TemporalPatchSize;
        _patch = config.PatchSize;
        _embedDim = config.HiddenSize;
        proj = nn.Conv3d(_channels, _embedDim, (_temporal, _patch, _patch), stride: (_temporal, _patch, _patch), bias: false);
        RegisterComponents();
    }

    /// <param name="pixelValues">[N, C * T * P * P]</param>
    /// <returns>[N, hidden]</returns>
    public Tensor forward(Tensor pixelValues)
    {
        using var scope = NewDisposeScope();
        var x = pixelValues.to(proj.weight!.dtype, proj.weight.device).view(-1, _channels, _temporal, _patch, _patch);
        return proj.forward(x).view(-1, _embedDim).MoveToOuterDisposeScope();
    }
}
