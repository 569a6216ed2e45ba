using Streamer.KvStore;
using Streamer.Models.Qwen25Omni;

namespace Streamer.Models.Memory;

/// <summary>
/// The memory's side of a policy: what it watches while a group is prefilled, what it stores of
/// the resulting block, and what it keeps once the block is stored. Called under the memory's lock.
/// </summary>
internal interface IMemoryBlockAdmission
{
    /// <summary>A probe to run alongside the prefill of one group, or null.</summary>
    IAttentionProbe? CreateBlockProbe();

    /// <summary>What to store for the full block (the block itself, or a compressed page of it).</summary>
    KvBlock Admit(KvBlock block, IAttentionProbe? probe);

    /// <summary>After the admitted block went to the store (or was refused); <paramref name="window"/> is the recent window now.</summary>
    void Stored(KvBlock admitted, bool stored, IReadOnlyCollection<MemoryBlock> window);
}
