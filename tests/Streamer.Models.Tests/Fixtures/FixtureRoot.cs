namespace Streamer.Models.Tests.Fixtures;

/// <summary>
/// Where reference fixtures live: <c>STREAMER_FIXTURES</c> when set, otherwise
/// <c>../shared/fixtures</c> next to the folder holding Streamer.sln. A git worktree sits one
/// level deeper than the main checkout, so the ancestors above are tried next.
/// </summary>
public static class FixtureRoot
{
    public const string EnvironmentVariable = "STREAMER_FIXTURES";

    public static string Resolve()
    {
        var candidates = Candidates();
        return candidates.FirstOrDefault(Directory.Exists) ?? candidates[0];
    }

    /// <summary>Every place looked at, in order, for error messages.</summary>
    public static IReadOnlyList<string> Candidates()
    {
        var fromEnv = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnv))
        {
            return [Path.GetFullPath(fromEnv)];
        }
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Streamer.sln")))
        {
            dir = dir.Parent;
        }
        if (dir is null)
        {
            return [Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "shared", "fixtures"))];
        }
        var result = new List<string>();
        for (var up = dir.Parent; up is not null; up = up.Parent)
        {
            result.Add(Path.Combine(up.FullName, "shared", "fixtures"));
        }
        return result.Count > 0 ? result : [Path.Combine(dir.FullName, "..", "shared", "fixtures")];
    }
}
