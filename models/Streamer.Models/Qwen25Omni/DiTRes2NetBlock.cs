using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streamer.Models.Qwen25Omni;

/// <summary>
/// Res2NetBlock: the channels are cut into <c>scale</c> groups; the first passes through, the
/// second goes through a TDNN, every later one through a TDNN after adding the previous output.
/// </summary>
public sealed class DiTRes2NetBlock : nn.Module<Tensor, Tensor>
{
    public readonly ModuleList<DiTTimeDelayNetBlock> blocks;
    private readonly int _scale;

    public DiTRes2NetBlock(int inChannels, int outChannels, int scale, int kernelSize, int dilation) : base(nameof(DiTRes2NetBlock))
    {
        if (inChannels % scale != 0 || outChannels % scale != 0)
        {
            throw new ArgumentException($"channels {inChannels}/{outChannels} are not divisible by res2net scale {scale}");
        }
        _scale = scale;
        blocks = new ModuleList<DiTTimeDelayNetBlock>(Enumerable.Range(0, scale - 1)
            .Select(_ => new DiTTimeDelayNetBlock(inChannels / scale, outChannels / scale, kernelSize, dilation))
            .ToArray());
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var parts = x.chunk(_scale, 1);
        var outputs = new Tensor[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            outputs[i] = i switch
            {
                0 => parts[0],
                1 => blocks[0].forward(parts[1]),
                _ => blocks[i - 1].forward(parts[i] + outputs[i - 1]),
            };
        }
        return cat(outputs, 1).MoveToOuterDisposeScope();
    }
}
