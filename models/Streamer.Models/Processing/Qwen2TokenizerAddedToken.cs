namespace Streamer.Models.Processing;

/// <summary>
/// A token added on top of the BPE vocabulary (<c>&lt;|im_start|&gt;</c>, <c>&lt;|VIDEO|&gt;</c>).
/// It is matched in text as a whole and never split by BPE. <see cref="Special"/> tokens are the
/// ones <c>skipSpecialTokens</c> drops and <c>parseSpecialTokens: false</c> leaves as plain text.
/// </summary>
public sealed record Qwen2TokenizerAddedToken(int Id, string Content, bool Special);
