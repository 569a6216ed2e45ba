using System.Globalization;
using System.Text.Json;

namespace Streamer.Models.Processing;

/// <summary>
/// Reads a checkpoint folder's tokenizer: the fast-tokenizer <c>tokenizer.json</c> when present,
/// otherwise the slow-tokenizer trio <c>vocab.json</c>, <c>merges.txt</c> and
/// <c>tokenizer_config.json</c> (its <c>added_tokens_decoder</c>).
/// </summary>
internal static class Qwen2TokenizerFiles
{
    public const string TokenizerJson = "tokenizer.json";
    public const string VocabJson = "vocab.json";
    public const string MergesTxt = "merges.txt";
    public const string TokenizerConfigJson = "tokenizer_config.json";

    public static Qwen2TokenizerData LoadFolder(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"Tokenizer folder '{folder}' does not exist.");
        }

        var tokenizerJson = Path.Combine(folder, TokenizerJson);
        if (File.Exists(tokenizerJson))
        {
            return LoadTokenizerJson(tokenizerJson);
        }

        var vocabJson = Path.Combine(folder, VocabJson);
        var mergesTxt = Path.Combine(folder, MergesTxt);
        if (!File.Exists(vocabJson) && !File.Exists(mergesTxt))
        {
            throw new FileNotFoundException(
                $"No tokenizer in '{folder}': expected {TokenizerJson}, or {VocabJson} with {MergesTxt} " +
                $"(and {TokenizerConfigJson} for the added tokens).",
                tokenizerJson);
        }

        var missing = File.Exists(vocabJson) ? mergesTxt : vocabJson;
        if (!File.Exists(missing))
        {
            throw new FileNotFoundException(
                $"Tokenizer in '{folder}' is incomplete: {Path.GetFileName(missing)} is missing.", missing);
        }

        return LoadVocabAndMerges(vocabJson, mergesTxt, Path.Combine(folder, TokenizerConfigJson));
    }

    public static Qwen2TokenizerData LoadTokenizerJson(string path)
    {
        using var document = ParseJson(path);
        var root = document.RootElement;
        if (!root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(path, "it has no \"model\" object");
        }

        if (model.TryGetProperty("type", out var type) && type.GetString() != "BPE")
        {
            throw Invalid(path, $"model type is \"{type.GetString()}\", not \"BPE\"");
        }

        if (!model.TryGetProperty("vocab", out var vocab) || vocab.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(path, "model.vocab is missing");
        }

        if (!model.TryGetProperty("merges", out var merges) || merges.ValueKind != JsonValueKind.Array)
        {
            throw Invalid(path, "model.merges is missing");
        }

        var mergeList = new List<string>(merges.GetArrayLength());
        foreach (var merge in merges.EnumerateArray())
        {
            // Older files store "left right", newer ones ["left", "right"].
            mergeList.Add(merge.ValueKind switch
            {
                JsonValueKind.String => merge.GetString()!,
                JsonValueKind.Array when merge.GetArrayLength() == 2 =>
                    $"{merge[0].GetString()} {merge[1].GetString()}",
                _ => throw Invalid(path, $"merge entry {merge.GetRawText()} is neither \"a b\" nor [\"a\", \"b\"]"),
            });
        }

        var added = new List<Qwen2TokenizerAddedToken>();
        if (root.TryGetProperty("added_tokens", out var addedTokens) && addedTokens.ValueKind == JsonValueKind.Array)
        {
            foreach (var token in addedTokens.EnumerateArray())
            {
                added.Add(new Qwen2TokenizerAddedToken(
                    token.GetProperty("id").GetInt32(),
                    token.GetProperty("content").GetString()!,
                    token.TryGetProperty("special", out var special) && special.GetBoolean()));
            }
        }

        return new Qwen2TokenizerData(ReadVocabulary(vocab), mergeList, added);
    }

    public static Qwen2TokenizerData LoadVocabAndMerges(string vocabJson, string mergesTxt, string tokenizerConfigJson)
    {
        Dictionary<string, int> vocabulary;
        using (var document = ParseJson(vocabJson))
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(vocabJson, "it is not a JSON object of token to id");
            }

            vocabulary = ReadVocabulary(document.RootElement);
        }

        var merges = new List<string>();
        foreach (var line in File.ReadLines(mergesTxt))
        {
            // The first line is a "#version: 0.2" header.
            if (line.Length == 0 || line.StartsWith("#version", StringComparison.Ordinal))
            {
                continue;
            }

            if (line.Split(' ').Length != 2)
            {
                throw Invalid(mergesTxt, $"line \"{line}\" is not a pair");
            }

            merges.Add(line);
        }

        var added = new List<Qwen2TokenizerAddedToken>();
        if (File.Exists(tokenizerConfigJson))
        {
            using var config = ParseJson(tokenizerConfigJson);
            if (config.RootElement.TryGetProperty("added_tokens_decoder", out var decoder) &&
                decoder.ValueKind == JsonValueKind.Object)
            {
                foreach (var entry in decoder.EnumerateObject())
                {
                    if (!int.TryParse(entry.Name, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                    {
                        throw Invalid(tokenizerConfigJson, $"added token id \"{entry.Name}\" is not a number");
                    }

                    added.Add(new Qwen2TokenizerAddedToken(
                        id,
                        entry.Value.GetProperty("content").GetString()!,
                        entry.Value.TryGetProperty("special", out var special) && special.GetBoolean()));
                }
            }
        }

        return new Qwen2TokenizerData(vocabulary, merges, added);
    }

    private static Dictionary<string, int> ReadVocabulary(JsonElement vocab)
    {
        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in vocab.EnumerateObject())
        {
            vocabulary[entry.Name] = entry.Value.GetInt32();
        }

        return vocabulary;
    }

    private static JsonDocument ParseJson(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonDocument.Parse(stream);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Tokenizer file '{path}' is not valid JSON: {e.Message}", e);
        }
    }

    private static InvalidDataException Invalid(string path, string reason) =>
        new($"Tokenizer file '{path}' cannot be used: {reason}.");
}
