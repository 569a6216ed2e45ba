using Streamer.Models.Processing;

namespace Streamer.Models.Tests.Processing;

public sealed class Qwen2TokenizerNfcTests
{
    [Theory]
    [InlineData("plain ascii", "plain ascii")]
    [InlineData("e\u0301", "\u00E9")]                   // e + acute composes
    [InlineData("\u212B", "\u00C5")]                    // Angstrom sign is a singleton decomposition
    [InlineData("\u1100\u1161\u11A8", "\uAC01")]        // L V T jamo compose to one syllable
    [InlineData("\uAC00\u11A8", "\uAC01")]              // LV syllable + T
    [InlineData("a\u0302\u0323", "\u1EAD")]             // marks reorder by class (220 before 230), then compose
    [InlineData("a\u0301\u0301", "\u00E1\u0301")]       // the second acute is blocked by the first
    [InlineData("\u0958", "\u0915\u093C")]              // composition exclusion stays decomposed
    [InlineData("\u0344", "\u0308\u0301")]              // non-starter decomposition
    [InlineData("\u0301x", "\u0301x")]                  // a leading mark has nothing to compose with
    [InlineData("c\u0327\u0301", "\u1E09")]             // two-level composition
    [InlineData("\uD840\uDC00\u0301", "\uD840\uDC00\u0301")] // supplementary starter, no composite
    public void Normalize_gives_nfc(string input, string expected)
    {
        Assert.Equal(expected, Qwen2TokenizerNfc.Normalize(input));
    }

    [Fact]
    public void Normalize_leaves_composed_text_unchanged()
    {
        const string text = "Ünïcödé café 한국어 日本語 Ελληνικά नमस्ते 😀";

        Assert.Equal(text, Qwen2TokenizerNfc.Normalize(text));
    }
}
