namespace Streamer.Models.Processing;

/// <summary>
/// What a checkpoint's tokenizer files hold: the byte-level BPE vocabulary, its merges in
/// priority order (each "left right") and the added tokens.
/// </summary>
internal sealed record Qwen2TokenizerData(
    IReadOnlyDictionary<string, int> Vocabulary,
    IReadOnlyList<string> Merges,
    IReadOnlyList<Qwen2TokenizerAddedToken> AddedTokens);
