namespace Streamer.Models.Tests.Fixtures;

/// <summary>
/// Finds every fixture folder (config.json + cases.json + cases.safetensors) at any depth under
/// the fixture root, so new variants run without code changes.
/// </summary>
public static class FixtureCatalog
{
    private static readonly Lazy<IReadOnlyList<string>> Folders = new(Discover);

    public static IReadOnlyList<string> All => Folders.Value;

    public static bool IsFixtureFolder(string folder) =>
        File.Exists(Path.Combine(folder, "config.json"))
        && File.Exists(Path.Combine(folder, FixtureCase.CasesJson))
        && File.Exists(Path.Combine(folder, FixtureCase.CasesTensors));

    public static string DescribeSearch() =>
        $"no fixture folder (config.json + {FixtureCase.CasesJson} + {FixtureCase.CasesTensors}) found under " +
        string.Join(" or ", FixtureRoot.Candidates()) + $" (set {FixtureRoot.EnvironmentVariable} to override)";

    private static IReadOnlyList<string> Discover()
    {
        var root = FixtureRoot.Resolve();
        if (!Directory.Exists(root))
        {
            return [];
        }
        return Directory.EnumerateDirectories(root, "*", SearchOption.AllDirectories)
            .Prepend(root)
            .Where(IsFixtureFolder)
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
