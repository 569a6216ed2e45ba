namespace Streamer.Models.Processing;

/// <summary>
/// Finds added tokens in text the way the reference tokenizers do: at each position the longest
/// added token that starts there wins, scanning left to right.
/// </summary>
internal sealed class Qwen2TokenizerAddedTokenMatcher
{
    private readonly Dictionary<char, Qwen2TokenizerAddedToken[]> _byFirstChar;

    public Qwen2TokenizerAddedTokenMatcher(IEnumerable<Qwen2TokenizerAddedToken> tokens)
    {
        _byFirstChar = tokens
            .Where(t => t.Content.Length > 0)
            .GroupBy(t => t.Content[0])
            .ToDictionary(g => g.Key, g => g.OrderByDescending(t => t.Content.Length).ToArray());
    }

    public Qwen2TokenizerAddedToken? MatchAt(string text, int position)
    {
        if (!_byFirstChar.TryGetValue(text[position], out var candidates))
        {
            return null;
        }

        foreach (var candidate in candidates)
        {
            if (text.AsSpan(position).StartsWith(candidate.Content, StringComparison.Ordinal))
            {
                return candidate;
            }
        }

        return null;
    }
}
