using static TorchSharp.torch;

namespace Streamer.Models.Qwen25Omni;

/// <summary>
/// Sees each decoder layer's projected queries [B, heads, L, headDim] and keys
/// [B, kvHeads, L, headDim] before rotary is applied. Streaming memory policies use it to
/// summarise content independently of position. The tensors belong to the forward's dispose
/// scope: an observer copies out what it keeps and never disposes them.
/// </summary>
public interface IAttentionProbe
{
    void Observe(int layer, Tensor queries, Tensor keys);
}
