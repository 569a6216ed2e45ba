using Streamer.KvStore;
using Streamer.Models.Memory;
using Streamer.Models.Qwen25Omni;
using Streamer.Models.Tests.Qwen25Omni;
using TorchSharp;
using static TorchSharp.torch;

namespace Streamer.Models.Tests.Memory;

/// <summary>
/// The tiny thinker of one fixture folder as the memory tests use it: a dispose scope takes
/// every tensor the test makes (the weights, loaded before it, outlive it until the model is
/// disposed), and memories open over it with their sink prefilled from
/// <see cref="MemoryStream"/>'s seeded text, as a session's chat prompt would.
/// </summary>
internal sealed class TinyMemoryModel : IDisposable
{
    private readonly DisposeScope _scope;

    private TinyMemoryModel(Qwen25OmniThinker thinker)
    {
        Thinker = thinker;
        _scope = NewDisposeScope();
    }

    public Qwen25OmniThinker Thinker { get; }

    /// <summary>Loads the thinker of a fixture folder (or fails with the places searched for the marker row).</summary>
    public static TinyMemoryModel Load(string folder) => new(ThinkerFixture.Load(folder));

    /// <summary>A store of one unbounded host tier: room for every block a test makes.</summary>
    public static TieredKvStore HostStore() => new([new HostMemoryTier(new HostMemoryTierOptions())]);

    /// <summary>&lt;|vision_eos|&gt; + seeded question text as a [1, n] row.</summary>
    public Tensor Question(int seed) => MemoryStream.Row(MemoryStream.QuestionIds(Thinker.Config, seed));

    /// <summary>A memory over <paramref name="store"/> for the synthetic stream's frames, its sink already prefilled.</summary>
    public StreamingVideoMemory Open(TieredKvStore store, string session, int sinkSeed, StreamingMemoryOptions? options = null)
    {
        var memory = new StreamingVideoMemory(Thinker, store, session, options, MemoryStream.Processor());
        memory.PrefillSink(MemoryStream.Row(MemoryStream.SinkIds(Thinker.Config, sinkSeed)));
        return memory;
    }

    public void Dispose()
    {
        _scope.Dispose();
        Thinker.Dispose();
    }
}
