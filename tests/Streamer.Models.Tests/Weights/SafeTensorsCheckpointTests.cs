using System.Text.Json;
using Streamer.Models.Tests.Fixtures;
using Streamer.Models.Weights;
using static Streamer.Models.Tests.Weights.SafeTensorsWriter;

namespace Streamer.Models.Tests.Weights;

public sealed class SafeTensorsCheckpointTests : IDisposable
{
    private readonly string _dir = TempFolder();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private void WriteIndex(Dictionary<string, string> map) =>
        File.WriteAllText(Path.Combine(_dir, SafeTensorsCheckpoint.IndexFileName),
            JsonSerializer.Serialize(new { metadata = new { total_size = 0 }, weight_map = map }));

    [Fact]
    public void Open_resolves_keys_across_shards_through_the_index()
    {
        Write(Path.Combine(_dir, "model-00001-of-00002.safetensors"), [new("a.weight", "F32", [2], Floats(1f, 2f))]);
        Write(Path.Combine(_dir, "model-00002-of-00002.safetensors"), [new("b.weight", "F32", [1], Floats(5f))]);
        WriteIndex(new() { ["a.weight"] = "model-00001-of-00002.safetensors", ["b.weight"] = "model-00002-of-00002.safetensors" });

        using var ckpt = SafeTensorsCheckpoint.Open(_dir);

        Assert.Equal(["a.weight", "b.weight"], ckpt.Keys.Order());
        Assert.Equal(2, ckpt.Files.Count);
        Assert.EndsWith("model-00002-of-00002.safetensors", ckpt.GetInfo("b.weight").File, StringComparison.Ordinal);
        using var b = ckpt.Load("b.weight");
        Assert.Equal(5f, b[0].item<float>());
        using var a = ckpt.Load("a.weight");
        Assert.Equal([1f, 2f], a.data<float>().ToArray());
    }

    [Fact]
    public void Open_rejects_index_naming_a_missing_shard()
    {
        Write(Path.Combine(_dir, "model-00001-of-00002.safetensors"), [new("a.weight", "F32", [1], Floats(1f))]);
        WriteIndex(new() { ["a.weight"] = "model-00001-of-00002.safetensors", ["b.weight"] = "model-00002-of-00002.safetensors" });

        var e = Assert.Throws<CheckpointException>(() => SafeTensorsCheckpoint.Open(_dir));

        Assert.Contains("'b.weight'", e.Message, StringComparison.Ordinal);
        Assert.Contains("model-00002-of-00002.safetensors", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_rejects_key_listed_in_index_but_absent_from_its_shard()
    {
        Write(Path.Combine(_dir, "model-00001-of-00001.safetensors"), [new("a.weight", "F32", [1], Floats(1f))]);
        WriteIndex(new() { ["a.weight"] = "model-00001-of-00001.safetensors", ["ghost.weight"] = "model-00001-of-00001.safetensors" });

        var e = Assert.Throws<CheckpointException>(() => SafeTensorsCheckpoint.Open(_dir));

        Assert.Contains("'ghost.weight'", e.Message, StringComparison.Ordinal);
        Assert.Contains("model-00001-of-00001.safetensors", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_rejects_folder_without_weights()
    {
        var e = Assert.Throws<CheckpointException>(() => SafeTensorsCheckpoint.Open(_dir));

        Assert.Contains(_dir, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [Trait("Category", "Parity")]
    [MemberData(nameof(FixtureData.Folders), MemberType = typeof(FixtureData))]
    public void Fixture_checkpoint_lists_the_tensors_cases_json_declares(string folder)
    {
        FixtureData.RequireFolder(folder);
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, FixtureCase.CasesJson)));
        var weights = doc.RootElement.GetProperty("weights");

        using var ckpt = SafeTensorsCheckpoint.Open(folder);

        Assert.Equal(weights.GetProperty("num_tensors").GetInt32(), ckpt.Keys.Count());
        Assert.Equal(weights.GetProperty("num_params").GetInt64(), ckpt.Tensors.Sum(t => t.ElementCount));
        foreach (var prefix in weights.GetProperty("prefixes").EnumerateArray().Select(p => p.GetString()!))
        {
            Assert.Contains(ckpt.Keys, k => k.StartsWith(prefix + ".", StringComparison.Ordinal));
        }
        using var embed = ckpt.Load("thinker.model.embed_tokens.weight");
        Assert.True(embed.abs().sum().item<float>() > 0f);
    }
}
