namespace Streamer.Server.Client;

/// <summary>Where the built web client lives, from <see cref="ClientOptions.Path"/> or found in the checkout.</summary>
public static class ClientFolder
{
    public const string IndexFile = "index.html";
    private static readonly string[] Built = ["client-web", "dist"];

    /// <summary>
    /// The configured folder (full path, whether or not it exists, so a mistake is reported by
    /// name), else the nearest <c>client-web/dist</c> holding an index.html at or above each
    /// of <paramref name="searchFrom"/>; null when there is none.
    /// </summary>
    public static string? Resolve(string? configured, string contentRoot, params string[] searchFrom)
    {
        if (!string.IsNullOrWhiteSpace(configured)) return System.IO.Path.GetFullPath(configured, contentRoot);
        foreach (var start in searchFrom.Prepend(contentRoot))
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = System.IO.Path.Combine([dir.FullName, .. Built]);
                if (File.Exists(System.IO.Path.Combine(candidate, IndexFile))) return candidate;
            }
        }
        return null;
    }
}
