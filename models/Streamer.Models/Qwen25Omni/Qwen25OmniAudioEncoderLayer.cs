using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streamer.Models.Qwen25Omni;

/// <summary>Pre-LayerNorm Whisper encoder layer: attention and a GELU feed-forward (fc1, fc2), each residual.</summary>
public sealed class Qwen25OmniAudioEncoderLayer : nn.Module
{
    public readonly Qwen25OmniAudioAttention self_attn;
    public readonly LayerNorm self_attn_layer_norm;
    public readonly Linear fc1;
    public readonly Linear fc2;
    public readonly LayerNorm final_layer_norm;
    private readonly Func<Tensor, Tensor> _act;

    public Qwen25OmniAudioEncoderLayer(Qwen25OmniAudioConfig config) : base(nameof(Qwen25OmniAudioEncoderLayer))
    {
        self_attn = new Qwen25OmniAudioAttention(config);
        self_attn_layer_norm = nn.LayerNorm(config.DModel);
        fc1 = nn.Linear(config.DModel, config.EncoderFfnDim);
        fc2 = nn.Linear(config.EncoderFfnDim, config.DModel);
        final_layer_norm = nn.LayerNorm(config.DModel);
        _act = Qwen2Mlp.Activation(config.ActivationFunction);
        RegisterComponents();
    }

    public Tensor forward(Tensor x, Tensor keyMask)
    {
        using var scope = NewDisposeScope();
        var h = x + self_attn.forward(self_attn_layer_norm.forward(x), keyMask);
        h = h + fc2.forward(_act(fc1.forward(final_layer_norm.forward(h))));
        if (h.dtype == ScalarType.Float16)
        {
            // The reference clamps float16 activations just below the format's maximum.
            const double limit = 65504.0 - 1000.0;
            h = h.clamp(-limit, limit);
        }
        return h.MoveToOuterDisposeScope();
    }
}
