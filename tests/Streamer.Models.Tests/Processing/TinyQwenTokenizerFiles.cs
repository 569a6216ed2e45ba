using System.Text.Json;
using Streamer.Models.Processing;

namespace Streamer.Models.Tests.Processing;

/// <summary>
/// A tiny tokenizer in the real file formats: the 256 byte-level tokens (id = byte value), five
/// merges spelling "hello" and " w", and three added tokens. Written to a fresh temp folder.
/// </summary>
internal sealed class TinyQwenTokenizerFiles : IDisposable
{
    public const int Ll = 256;
    public const int He = 257;
    public const int Hell = 258;
    public const int Hello = 259;
    public const int SpaceW = 260;
    public const int ImStart = 261;
    public const int ImEnd = 262;
    public const int Think = 263;

    private static readonly string[] MergeLines = ["l l", "h e", "he ll", "hell o", "Ġ w"];

    public TinyQwenTokenizerFiles()
    {
        Folder = Path.Combine(Path.GetTempPath(), "streamer-tokenizer-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
    }

    public string Folder { get; }

    public static Dictionary<string, int> Vocabulary()
    {
        var vocab = new Dictionary<string, int>();
        for (var b = 0; b < 256; b++)
        {
            vocab[Qwen2TokenizerByteLevel.ByteToChar((byte)b).ToString()] = b;
        }

        vocab["ll"] = Ll;
        vocab["he"] = He;
        vocab["hell"] = Hell;
        vocab["hello"] = Hello;
        vocab["Ġw"] = SpaceW;
        return vocab;
    }

    public static (int Id, string Content, bool Special)[] Added() =>
        [(ImStart, "<|im_start|>", true), (ImEnd, "<|im_end|>", true), (Think, "<think>", false)];

    public string WriteTokenizerJson()
    {
        var json = new
        {
            added_tokens = Added().Select(a => new { id = a.Id, content = a.Content, special = a.Special }),
            normalizer = new { type = "NFC" },
            model = new
            {
                type = "BPE",
                vocab = Vocabulary(),
                merges = MergeLines.Select(m => m.Split(' ')),
            },
        };
        var path = Path.Combine(Folder, "tokenizer.json");
        File.WriteAllText(path, JsonSerializer.Serialize(json));
        return path;
    }

    public void WriteVocabAndMerges()
    {
        File.WriteAllText(Path.Combine(Folder, "vocab.json"), JsonSerializer.Serialize(Vocabulary()));
        File.WriteAllLines(Path.Combine(Folder, "merges.txt"), ["#version: 0.2", .. MergeLines]);
        var config = new
        {
            added_tokens_decoder = Added().ToDictionary(
                a => a.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                a => new { content = a.Content, special = a.Special }),
        };
        File.WriteAllText(Path.Combine(Folder, "tokenizer_config.json"), JsonSerializer.Serialize(config));
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
