using Streamer.Models.Qwen25Omni;
using static TorchSharp.torch;

namespace Streamer.Models.Memory;

/// <summary>Lets several probes watch one forward.</summary>
internal sealed class ProbeFanOut(params IAttentionProbe[] probes) : IAttentionProbe
{
    public void Observe(int layer, Tensor queries, Tensor keys)
    {
        foreach (var probe in probes)
        {
            probe.Observe(layer, queries, keys);
        }
    }
}
