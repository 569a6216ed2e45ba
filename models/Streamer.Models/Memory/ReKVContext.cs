using Streamer.KvStore;
using Streamer.Models.Generation;
using static TorchSharp.torch;

namespace Streamer.Models.Memory;

/// <summary>
/// What a question is answered over: a cache holding the sink, the retrieved blocks and the
/// recent window in time order (each at its original rotary positions), and the question as a
/// prompt whose positions continue after everything the stream has seen. Pass
/// <see cref="Prompt"/> and <see cref="Cache"/> to <see cref="ThinkerGenerator"/>. Owns its tensors.
/// </summary>
public sealed class ReKVContext : IDisposable
{
    private readonly Tensor[] _owned;

    internal ReKVContext(KvCache cache, ThinkerPrompt prompt, IReadOnlyList<KvBlockMatch> retrieved,
        IReadOnlyList<KvBlockId> missing, IReadOnlyList<MemoryBlock> window, params Tensor[] owned)
    {
        Cache = cache;
        Prompt = prompt;
        Retrieved = retrieved;
        Missing = missing;
        Window = window;
        _owned = owned;
    }

    /// <summary>Sink + retrieved blocks + window; the question is appended to it when decoded.</summary>
    public KvCache Cache { get; }

    public ThinkerPrompt Prompt { get; }

    /// <summary>The blocks loaded into the cache, in time order, with their scores.</summary>
    public IReadOnlyList<KvBlockMatch> Retrieved { get; }

    /// <summary>Chosen blocks no tier could deliver (lost, corrupt, unavailable); left out.</summary>
    public IReadOnlyList<KvBlockId> Missing { get; }

    /// <summary>The recent window blocks included after the retrieved ones.</summary>
    public IReadOnlyList<MemoryBlock> Window { get; }

    public void Dispose()
    {
        Cache.Dispose();
        foreach (var t in _owned)
        {
            t.Dispose();
        }
    }
}
