using Streamer.Models.Processing;
using static Streamer.Models.Tests.Processing.TinyQwenTokenizerFiles;

namespace Streamer.Models.Tests.Processing;

public sealed class Qwen2TokenizerTests : IDisposable
{
    private readonly TinyQwenTokenizerFiles _files = new();
    private readonly Qwen2Tokenizer _tokenizer;

    public Qwen2TokenizerTests()
    {
        _tokenizer = Qwen2Tokenizer.FromTokenizerJson(_files.WriteTokenizerJson());
    }

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Encode_applies_merges_within_pre_tokenized_pieces()
    {
        // "hello" merges fully; " world" is one piece: Ġw merges, o r l d stay bytes ("l d" has no merge).
        Assert.Equal([Hello, SpaceW, 'o', 'r', 'l', 'd'], _tokenizer.Encode("hello world"));
    }

    [Fact]
    public void Encode_matches_special_tokens_as_single_ids()
    {
        Assert.Equal([ImStart, Hello, ImEnd, Think], _tokenizer.Encode("<|im_start|>hello<|im_end|><think>"));
    }

    [Fact]
    public void Encode_without_parsing_special_tokens_spells_them_but_keeps_non_special_added_tokens()
    {
        var ids = _tokenizer.Encode("<|im_end|><think>", parseSpecialTokens: false);

        Assert.DoesNotContain(ImEnd, ids);
        Assert.Equal(Think, ids[^1]);
        Assert.Equal("<|im_end|><think>", _tokenizer.Decode(ids));
    }

    [Fact]
    public void Encode_leaves_an_unfinished_special_token_as_text()
    {
        var ids = _tokenizer.Encode("<|im_start");

        Assert.DoesNotContain(ImStart, ids);
        Assert.Equal("<|im_start", _tokenizer.Decode(ids));
    }

    [Fact]
    public void Decode_skips_only_special_tokens_when_asked()
    {
        int[] ids = [ImStart, Hello, Think, ImEnd];

        Assert.Equal("<|im_start|>hello<think><|im_end|>", _tokenizer.Decode(ids));
        Assert.Equal("hello<think>", _tokenizer.Decode(ids, skipSpecialTokens: true));
    }

    [Fact]
    public void Decode_skips_ids_outside_the_vocabulary_and_replaces_broken_utf8()
    {
        Assert.Equal("hello", _tokenizer.Decode([Hello, 5000, -1]));
        Assert.Equal("\uFFFD<|im_end|>", _tokenizer.Decode([0xC3, ImEnd]));
    }

    [Fact]
    public void Token_and_id_lookups_cover_vocabulary_and_added_tokens()
    {
        Assert.Equal(Think + 1, _tokenizer.VocabSize);
        Assert.Equal(SpaceW, _tokenizer.TokenToId("Ġw"));
        Assert.Equal(ImStart, _tokenizer.TokenToId("<|im_start|>"));
        Assert.Null(_tokenizer.TokenToId("absent"));
        Assert.Equal("hello", _tokenizer.IdToToken(Hello));
        Assert.Equal("<think>", _tokenizer.IdToToken(Think));
        Assert.Null(_tokenizer.IdToToken(Think + 1));
    }

    [Fact]
    public void Streaming_decoder_emits_a_multibyte_character_only_once_complete()
    {
        var decoder = _tokenizer.CreateStreamingDecoder();

        // "é" is C3 A9 and each byte is its own token here.
        Assert.Equal(string.Empty, decoder.Append(0xC3));
        Assert.Equal("é", decoder.Append(0xA9));

        // "😀" is F0 9F 98 80: nothing until the fourth byte.
        Assert.Equal(string.Empty, decoder.Append(0xF0));
        Assert.Equal(string.Empty, decoder.Append(0x9F));
        Assert.Equal(string.Empty, decoder.Append(0x98));
        Assert.Equal("😀", decoder.Append(0x80));
        Assert.Equal(" w", decoder.Append(SpaceW));
        Assert.Equal(string.Empty, decoder.Flush());
    }

    [Fact]
    public void Streaming_decoder_flushes_an_incomplete_character_before_a_special_token()
    {
        var decoder = _tokenizer.CreateStreamingDecoder(skipSpecialTokens: true);

        Assert.Equal(string.Empty, decoder.Append(0xE4));
        Assert.Equal("\uFFFD", decoder.Append(ImEnd));
        Assert.Equal("hello", decoder.Append(Hello));
        Assert.Equal(string.Empty, decoder.Append(0xE4));
        Assert.Equal("\uFFFD", decoder.Flush());
    }

    [Fact]
    public void Streaming_decoder_pieces_concatenate_to_decode_of_all_ids()
    {
        var random = new Random(7);
        for (var round = 0; round < 200; round++)
        {
            var ids = Enumerable.Range(0, random.Next(1, 40)).Select(_ => random.Next(0, Think + 3)).ToArray();
            var decoder = _tokenizer.CreateStreamingDecoder();
            var streamed = string.Concat(ids.Select(decoder.Append)) + decoder.Flush();

            Assert.Equal(_tokenizer.Decode(ids), streamed);
        }
    }

    [Fact]
    public void FromFolder_reads_vocab_merges_and_config_like_tokenizer_json()
    {
        using var slow = new TinyQwenTokenizerFiles();
        slow.WriteVocabAndMerges();
        var fromFiles = Qwen2Tokenizer.FromFolder(slow.Folder);
        const string text = "<|im_start|>hello world<think> ünï 😀<|im_end|>";

        Assert.Equal(_tokenizer.Encode(text), fromFiles.Encode(text));
        Assert.Equal(_tokenizer.VocabSize, fromFiles.VocabSize);
        Assert.Equal(text, fromFiles.Decode(fromFiles.Encode(text)));
    }

    [Fact]
    public void FromFolder_prefers_tokenizer_json()
    {
        Assert.Equal(_tokenizer.Encode("hello <think>"), Qwen2Tokenizer.FromFolder(_files.Folder).Encode("hello <think>"));
    }

    [Fact]
    public void FromFolder_names_the_missing_folder()
    {
        var missing = Path.Combine(_files.Folder, "nope");

        var error = Assert.Throws<DirectoryNotFoundException>(() => Qwen2Tokenizer.FromFolder(missing));
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromFolder_without_tokenizer_files_lists_the_expected_files()
    {
        using var empty = new TinyQwenTokenizerFiles();

        var error = Assert.Throws<FileNotFoundException>(() => Qwen2Tokenizer.FromFolder(empty.Folder));
        Assert.Contains("tokenizer.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("merges.txt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromFolder_with_vocab_but_no_merges_names_merges_txt()
    {
        using var partial = new TinyQwenTokenizerFiles();
        partial.WriteVocabAndMerges();
        File.Delete(Path.Combine(partial.Folder, "merges.txt"));

        var error = Assert.Throws<FileNotFoundException>(() => Qwen2Tokenizer.FromFolder(partial.Folder));
        Assert.EndsWith("merges.txt", error.FileName, StringComparison.Ordinal);
    }

    [Fact]
    public void FromTokenizerJson_rejects_malformed_or_non_bpe_files()
    {
        var broken = Path.Combine(_files.Folder, "broken.json");
        File.WriteAllText(broken, "{ \"model\": ");
        var unigram = Path.Combine(_files.Folder, "unigram.json");
        File.WriteAllText(unigram, "{ \"model\": { \"type\": \"Unigram\", \"vocab\": [] } }");

        Assert.Throws<InvalidDataException>(() => Qwen2Tokenizer.FromTokenizerJson(broken));
        var error = Assert.Throws<InvalidDataException>(() => Qwen2Tokenizer.FromTokenizerJson(unigram));
        Assert.Contains("Unigram", error.Message, StringComparison.Ordinal);
        Assert.Throws<FileNotFoundException>(() => Qwen2Tokenizer.FromTokenizerJson(Path.Combine(_files.Folder, "absent.json")));
    }
}
