using Streamer.Models.Processing;
using Streamer.Models.Qwen25Omni;

namespace Streamer.Server.Models;

/// <summary>
/// The thinker the server answers with, its tokenizer and what it is: <see cref="Name"/> is
/// shown in every answer's metadata, and says so when the weights are random.
/// </summary>
public sealed class LoadedThinker(Qwen25OmniThinker thinker, Qwen2Tokenizer tokenizer, string name, bool isRandom, string device) : IDisposable
{
    public const string RandomName = "random (no checkpoint configured)";

    public Qwen25OmniThinker Thinker { get; } = thinker;

    public Qwen2Tokenizer Tokenizer { get; } = tokenizer;

    public string Name { get; } = name;

    public bool IsRandom { get; } = isRandom;

    /// <summary>The checkpoint folder it was loaded from; null for the random model.</summary>
    public string? Folder { get; init; }

    /// <summary>The torch device string the thinker was placed on ("cpu", "cuda:0").</summary>
    public string Device { get; } = device;

    /// <summary>Ids that end an answer: &lt;|im_end|&gt; and &lt;|endoftext|&gt; where the tokenizer has them.</summary>
    public IReadOnlyCollection<long> StopTokenIds { get; } =
        new[] { tokenizer.TokenToId(ChatTemplate.ImEnd), tokenizer.TokenToId("<|endoftext|>") }
            .Where(id => id is not null).Select(id => (long)id!.Value).ToArray();

    public void Dispose() => Thinker.Dispose();
}
