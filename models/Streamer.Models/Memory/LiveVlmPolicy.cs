using Streamer.KvStore;
using Streamer.Models.Generation;
using Streamer.Models.Qwen25Omni;
using static TorchSharp.torch;

namespace Streamer.Models.Memory;

/// <summary>
/// LiveVLM: video older than the recent window lives only as compressed pages, each keeping
/// <see cref="LiveVlmOptions.KeepRatio"/> of its block's tokens, the ones that receive the most
/// attention from the block's vision tokens or that are least redundant with the previous
/// block. A question scores pages by cosine similarity of its mean query with each page's
/// retrieval key, the mean of the kept keys with rotary removed, so the score does not depend
/// on where in the stream a page sits; the chosen pages are decoded at the kept tokens'
/// original positions, after the sink and before the full-detail recent window.
/// </summary>
public sealed class LiveVlmPolicy : IStreamingMemoryPolicy, IMemoryBlockAdmission
{
    private readonly StreamingVideoMemory _memory;
    private readonly ReKVRetriever _retriever;
    private readonly LiveVlmCompressor _compressor;

    public LiveVlmPolicy(StreamingVideoMemory memory)
    {
        ArgumentNullException.ThrowIfNull(memory);
        _memory = memory;
        _retriever = new ReKVRetriever(memory);
        _compressor = new LiveVlmCompressor(memory.Thinker, memory.Options.LiveVlm);
    }

    public string Name => MemoryPolicyNames.LiveVlm;

    public ReKVContext Retrieve(Tensor questionIds, ReKVQuery? query = null) => _retriever.Retrieve(questionIds, query);

    public ReKVContext RetrieveEmbedded(Tensor questionEmbeds, ReKVQuery? query = null) => _retriever.RetrieveEmbedded(questionEmbeds, query);

    public GenerationResult Answer(Tensor questionIds, GenerationOptions generation, ReKVQuery? query = null) =>
        _retriever.Answer(questionIds, generation, query);

    /// <summary>The question's pre-rotary mean query per layer, the vector pages are scored against.</summary>
    public float[][] MeanQuery(Tensor questionIds) => _retriever.MeanQuery(questionIds);

    IAttentionProbe? IMemoryBlockAdmission.CreateBlockProbe() =>
        _memory.Options.LiveVlm.Scoring == LiveVlmTokenScoring.Attention ? new AttentionReceivedProbe(_memory.Thinker.TextConfig.KvGroups) : null;

    KvBlock IMemoryBlockAdmission.Admit(KvBlock block, IAttentionProbe? probe) =>
        _compressor.Compress(block, (probe as AttentionReceivedProbe)?.Received());

    void IMemoryBlockAdmission.Stored(KvBlock admitted, bool stored, IReadOnlyCollection<MemoryBlock> window)
    {
    }
}
