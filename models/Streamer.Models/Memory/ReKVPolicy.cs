using Streamer.KvStore;
using Streamer.Models.Generation;
using Streamer.Models.Qwen25Omni;
using static TorchSharp.torch;

namespace Streamer.Models.Memory;

/// <summary>
/// ReKV, the default policy: every block is stored whole and a question retrieves the top-k by
/// cosine similarity of its mean query with the blocks' pre-rotary mean keys (see
/// <see cref="ReKVRetriever"/>). It is the default because it is the only policy that loses
/// nothing: when the window holds the whole stream, or every block is retrieved, the answer is
/// exactly a full-context prefill of the same frames, and whatever it retrieves comes back at full
/// detail and original positions. LiveVLM trades detail for a smaller store (compressed pages)
/// and Flash-VStream trades it for constant memory (a clustered synopsis); pick them when the
/// store, not the answer, is the constraint.
/// </summary>
public sealed class ReKVPolicy(StreamingVideoMemory memory) : IStreamingMemoryPolicy, IMemoryBlockAdmission
{
    private readonly ReKVRetriever _retriever = new(memory);

    public string Name => MemoryPolicyNames.ReKV;

    public ReKVContext Retrieve(Tensor questionIds, ReKVQuery? query = null) => _retriever.Retrieve(questionIds, query);

    public ReKVContext RetrieveEmbedded(Tensor questionEmbeds, ReKVQuery? query = null) => _retriever.RetrieveEmbedded(questionEmbeds, query);

    public GenerationResult Answer(Tensor questionIds, GenerationOptions generation, ReKVQuery? query = null) =>
        _retriever.Answer(questionIds, generation, query);

    IAttentionProbe? IMemoryBlockAdmission.CreateBlockProbe() => null;

    KvBlock IMemoryBlockAdmission.Admit(KvBlock block, IAttentionProbe? probe) => block;

    void IMemoryBlockAdmission.Stored(KvBlock admitted, bool stored, IReadOnlyCollection<MemoryBlock> window)
    {
    }
}
