using Streamer.Models.Processing;

namespace Streamer.Models.Tests.Processing;

public sealed class Qwen2TokenizerPreTokenizerTests
{
    [Theory]
    [InlineData("Hello world", new[] { "Hello", " world" })]
    [InlineData("don't I'll", new[] { "don", "'t", " I", "'ll" })]                // contractions split off
    [InlineData("I'LL 'Sa", new[] { "I", "'LL", " '", "Sa" })]                     // case-insensitive; "'S" then letters
    [InlineData("'hello", new[] { "'hello" })]                                      // one symbol may lead letters
    [InlineData("1234", new[] { "1", "2", "3", "4" })]                              // one digit per piece
    [InlineData("x  y", new[] { "x", " ", " y" })]                                  // \s+(?!\S) leaves the last space to the word
    [InlineData("end   ", new[] { "end", "   " })]                                 // trailing run stays whole
    [InlineData("a\r\n\r\nb", new[] { "a", "\r\n\r\n", "b" })]                      // \s*[\r\n]+
    [InlineData("a \n b", new[] { "a", " \n", " b" })]                              // run ends after its last newline
    [InlineData("?!\n\nx", new[] { "?!\n\n", "x" })]                                // symbols take trailing newlines
    [InlineData(" ...", new[] { " ..." })]                                          // one leading space joins symbols
    [InlineData("\t\tx", new[] { "\t", "\tx" })]                                    // a tab can lead letters
    [InlineData("𠮷野家", new[] { "𠮷野家" })]                                     // supplementary-plane letters are letters
    [InlineData("😀abc", new[] { "😀abc" })]                                        // an emoji is a symbol that may lead letters
    [InlineData("😀😀 ", new[] { "😀😀", " " })]
    public void Split_matches_the_qwen2_regex(string text, string[] expected)
    {
        var pieces = new List<(int Offset, int Length)>();
        Qwen2TokenizerPreTokenizer.Split(text, pieces);

        Assert.Equal(expected, pieces.Select(p => text.Substring(p.Offset, p.Length)));
    }

    [Fact]
    public void Split_never_throws_and_covers_random_text_with_contiguous_pieces()
    {
        // Code units from every class, lone surrogates included.
        char[] alphabet = ['a', 'Z', 'é', '中', '0', '٣', '.', '\'', 's', ' ', '\t', '\r', '\n', '\u00A0', '\u3000', '\uD83D', '\uDE00', '\uD840', '\uDC00', '\u0301', '<', '|'];
        var random = new Random(1234);
        var pieces = new List<(int Offset, int Length)>();
        for (var i = 0; i < 3000; i++)
        {
            var text = new string(Enumerable.Range(0, random.Next(0, 32)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
            pieces.Clear();
            Qwen2TokenizerPreTokenizer.Split(text, pieces);

            var next = 0;
            foreach (var (offset, length) in pieces)
            {
                Assert.Equal(next, offset);
                Assert.True(length > 0);
                next = offset + length;
            }

            Assert.Equal(text.Length, next);
        }
    }
}
