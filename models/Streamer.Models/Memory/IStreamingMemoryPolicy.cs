using Streamer.Models.Generation;
using static TorchSharp.torch;

namespace Streamer.Models.Memory;

/// <summary>
/// How a session's memory keeps older video and what a question is answered over. The
/// memory builds the policy its options name (<see cref="StreamingVideoMemory.Policy"/>), so a
/// caller only ever asks this interface for the answer context.
/// </summary>
public interface IStreamingMemoryPolicy
{
    /// <summary>The configuration name (<see cref="MemoryPolicyNames"/>).</summary>
    string Name { get; }

    /// <summary>
    /// The cache and prompt to answer <paramref name="questionIds"/> [1, Lq] over; every key
    /// sits at its original rotary position and the question continues after the stream.
    /// </summary>
    ReKVContext Retrieve(Tensor questionIds, ReKVQuery? query = null);

    /// <summary>
    /// As <see cref="Retrieve"/>, for a question given as embeddings [1, Lq, hidden] (a spoken
    /// question: its audio encoder rows in the audio placeholders).
    /// </summary>
    ReKVContext RetrieveEmbedded(Tensor questionEmbeds, ReKVQuery? query = null);

    /// <summary>Builds the context and decodes an answer over it.</summary>
    GenerationResult Answer(Tensor questionIds, GenerationOptions generation, ReKVQuery? query = null);
}
