namespace Streamer.Server.Models;

/// <summary>
/// Finds a downloaded checkpoint in the standard Hugging Face cache layout:
/// <c>{hub}/models--{org}--{name}/snapshots/{revision}/</c>, where the hub folder is
/// HF_HUB_CACHE, else HF_HOME/hub, else ~/.cache/huggingface/hub.
/// </summary>
public static class HuggingFaceCache
{
    /// <summary>Repositories tried in order when no checkpoint is configured: the smaller first.</summary>
    public static readonly IReadOnlyList<string> ThinkerRepositories = ["Qwen/Qwen2.5-Omni-3B", "Qwen/Qwen2.5-Omni-7B"];

    public static IReadOnlyList<string> HubFolders(Func<string, string?> environment)
    {
        var folders = new List<string>();
        if (environment("HF_HUB_CACHE") is { Length: > 0 } hub) folders.Add(hub);
        if (environment("HF_HOME") is { Length: > 0 } home) folders.Add(System.IO.Path.Combine(home, "hub"));
        var user = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (user.Length > 0) folders.Add(System.IO.Path.Combine(user, ".cache", "huggingface", "hub"));
        return folders.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The newest snapshot of <paramref name="repository"/> ("org/name") holding a config.json
    /// and at least one safetensors file; null when none is present.
    /// </summary>
    public static string? FindSnapshot(string repository, IEnumerable<string> hubFolders)
    {
        var folderName = "models--" + repository.Replace("/", "--", StringComparison.Ordinal);
        foreach (var hub in hubFolders)
        {
            var snapshots = System.IO.Path.Combine(hub, folderName, "snapshots");
            if (!Directory.Exists(snapshots)) continue;
            var complete = new DirectoryInfo(snapshots).EnumerateDirectories()
                .Where(d => File.Exists(System.IO.Path.Combine(d.FullName, "config.json"))
                            && d.EnumerateFiles("*.safetensors").Any())
                .OrderByDescending(d => d.LastWriteTimeUtc)
                .FirstOrDefault();
            if (complete is not null) return complete.FullName;
        }
        return null;
    }
}
