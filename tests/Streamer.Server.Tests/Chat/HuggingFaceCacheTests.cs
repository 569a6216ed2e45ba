using Streamer.Server.Models;

namespace Streamer.Server.Tests.Chat;

public sealed class HuggingFaceCacheTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "streamer-hf-" + Guid.NewGuid().ToString("N"));

    private string Snapshot(string hub, string folder, string revision, bool withWeights)
    {
        var path = Path.Combine(_root, hub, folder, "snapshots", revision);
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, "config.json"), "{}");
        if (withWeights) File.WriteAllBytes(Path.Combine(path, "model-00001-of-00002.safetensors"), [0]);
        return path;
    }

    [Fact]
    public void Hub_folders_follow_HF_HUB_CACHE_then_HF_HOME_then_the_home_cache()
    {
        var env = new Dictionary<string, string?> { ["HF_HUB_CACHE"] = "/data/hub", ["HF_HOME"] = "/data/hf" };

        var folders = HuggingFaceCache.HubFolders(name => env.GetValueOrDefault(name));

        Assert.Equal("/data/hub", folders[0]);
        Assert.Equal(Path.Combine("/data/hf", "hub"), folders[1]);
        Assert.EndsWith(Path.Combine(".cache", "huggingface", "hub"), folders[2]);
    }

    [Fact]
    public void Finds_a_snapshot_with_config_and_weights_and_skips_an_incomplete_one()
    {
        Snapshot("first", "models--Qwen--Qwen2.5-Omni-3B", "aaaa", withWeights: false);
        var complete = Snapshot("second", "models--Qwen--Qwen2.5-Omni-3B", "bbbb", withWeights: true);
        string[] hubs = [Path.Combine(_root, "first"), Path.Combine(_root, "second")];

        Assert.Equal(complete, HuggingFaceCache.FindSnapshot("Qwen/Qwen2.5-Omni-3B", hubs));
        Assert.Null(HuggingFaceCache.FindSnapshot("Qwen/Qwen2.5-Omni-7B", hubs));
    }

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }
}
