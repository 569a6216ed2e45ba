using System.Text;
using Microsoft.ML.Tokenizers;

namespace Streamer.Models.Processing;

/// <summary>
/// Qwen2's pre-tokenizer: splits text into the pieces BPE runs on, matching the regex
/// <code>
/// (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
/// </code>
/// alternative by alternative. It is hand-written because .NET's Regex classifies UTF-16 code
/// units, not code points: a supplementary-plane letter (CJK Extension B, math alphanumerics)
/// is two surrogates there, so \p{L} would miss it and the split would differ from the
/// reference tokenizers, which match on code points.
/// </summary>
internal sealed class Qwen2TokenizerPreTokenizer : PreTokenizer
{
    public static Qwen2TokenizerPreTokenizer Instance { get; } = new();

    public override IEnumerable<(int Offset, int Length)> PreTokenize(string text) =>
        PreTokenize(text.AsSpan());

    public override IEnumerable<(int Offset, int Length)> PreTokenize(ReadOnlySpan<char> text)
    {
        var pieces = new List<(int Offset, int Length)>();
        Split(text, pieces);
        return pieces;
    }

    /// <summary>Appends every piece of <paramref name="text"/> as (offset, length) in chars.</summary>
    public static void Split(ReadOnlySpan<char> text, List<(int Offset, int Length)> pieces)
    {
        var position = 0;
        while (position < text.Length)
        {
            var end = MatchAt(text, position);
            pieces.Add((position, end - position));
            position = end;
        }
    }

    // Returns the end of the match starting at i; the alternatives are tried in the regex's order.
    private static int MatchAt(ReadOnlySpan<char> s, int i)
    {
        var c = RuneAt(s, i, out var cLength);

        // (?i:'s|'t|'re|'ve|'m|'ll|'d)
        if (c.Value == '\'')
        {
            var contraction = ContractionLength(s, i + 1);
            if (contraction > 0)
            {
                return i + 1 + contraction;
            }
        }

        // [^\r\n\p{L}\p{N}]?\p{L}+
        if (IsLetter(c))
        {
            return SkipLetters(s, i);
        }

        if (!IsNewline(c) && !IsNumber(c) && i + cLength < s.Length && IsLetter(RuneAt(s, i + cLength, out _)))
        {
            return SkipLetters(s, i + cLength);
        }

        // \p{N}
        if (IsNumber(c))
        {
            return i + cLength;
        }

        // ' ?[^\s\p{L}\p{N}]+[\r\n]*'
        var symbolStart = c.Value == ' ' ? i + 1 : i;
        if (symbolStart < s.Length && IsSymbol(RuneAt(s, symbolStart, out _)))
        {
            var end = SkipSymbols(s, symbolStart);
            while (end < s.Length && s[end] is '\r' or '\n')
            {
                end++;
            }

            return end;
        }

        // Only whitespace is left here. White_Space code points are all in the BMP, so the
        // run is counted in chars.
        var runEnd = i;
        var lastNewline = -1;
        while (runEnd < s.Length && char.IsWhiteSpace(s[runEnd]))
        {
            if (s[runEnd] is '\r' or '\n')
            {
                lastNewline = runEnd;
            }

            runEnd++;
        }

        // \s*[\r\n]+ : \s* backs off until [\r\n]+ can start, so the match ends after the run's last newline.
        if (lastNewline >= 0)
        {
            return lastNewline + 1;
        }

        // \s+(?!\S) : at the end of text the whole run; before a non-space, all but its last char.
        if (runEnd == s.Length)
        {
            return runEnd;
        }

        if (runEnd - i > 1)
        {
            return runEnd - 1;
        }

        // \s+
        return runEnd;
    }

    // 's 't 're 've 'm 'll 'd, case-insensitive with Unicode simple case folding, under which
    // the long s (U+017F) is an 's' too.
    private static int ContractionLength(ReadOnlySpan<char> s, int i)
    {
        if (i >= s.Length)
        {
            return 0;
        }

        var first = Fold(s[i]);
        if (first is 's' or 't' or 'm' or 'd')
        {
            return 1;
        }

        if (i + 1 >= s.Length)
        {
            return 0;
        }

        var second = Fold(s[i + 1]);
        return (first, second) switch
        {
            ('r', 'e') or ('v', 'e') or ('l', 'l') => 2,
            _ => 0,
        };
    }

    private static char Fold(char c) => c switch
    {
        >= 'A' and <= 'Z' => (char)(c + ('a' - 'A')),
        '\u017F' => 's',
        _ => c,
    };

    private static int SkipLetters(ReadOnlySpan<char> s, int i)
    {
        while (i < s.Length)
        {
            var r = RuneAt(s, i, out var length);
            if (!IsLetter(r))
            {
                break;
            }

            i += length;
        }

        return i;
    }

    private static int SkipSymbols(ReadOnlySpan<char> s, int i)
    {
        while (i < s.Length)
        {
            var r = RuneAt(s, i, out var length);
            if (!IsSymbol(r))
            {
                break;
            }

            i += length;
        }

        return i;
    }

    // A lone surrogate decodes as U+FFFD, a symbol, which is also what it becomes in UTF-8.
    private static Rune RuneAt(ReadOnlySpan<char> s, int i, out int length)
    {
        Rune.DecodeFromUtf16(s[i..], out var rune, out length);
        return rune;
    }

    private static bool IsNewline(Rune r) => r.Value is '\r' or '\n';

    private static bool IsLetter(Rune r) => Rune.GetUnicodeCategory(r) is
        System.Globalization.UnicodeCategory.UppercaseLetter or
        System.Globalization.UnicodeCategory.LowercaseLetter or
        System.Globalization.UnicodeCategory.TitlecaseLetter or
        System.Globalization.UnicodeCategory.ModifierLetter or
        System.Globalization.UnicodeCategory.OtherLetter;

    private static bool IsNumber(Rune r) => Rune.GetUnicodeCategory(r) is
        System.Globalization.UnicodeCategory.DecimalDigitNumber or
        System.Globalization.UnicodeCategory.LetterNumber or
        System.Globalization.UnicodeCategory.OtherNumber;

    // [^\s\p{L}\p{N}]
    private static bool IsSymbol(Rune r) => !Rune.IsWhiteSpace(r) && !IsLetter(r) && !IsNumber(r);
}
