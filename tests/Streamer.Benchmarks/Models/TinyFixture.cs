namespace Streamer.Benchmarks.Models;

/// <summary>
/// The tiny random-weight Qwen2.5-Omni checkpoint of the reference fixtures, found as the model
/// tests find it: <c>STREAMER_FIXTURES</c> when set, otherwise <c>shared/fixtures</c> in a folder
/// above the one holding Streamer.sln (a git worktree sits deeper than the main checkout).
/// </summary>
public static class TinyFixture
{
    public const string EnvironmentVariable = "STREAMER_FIXTURES";
    public const string RelativeFolder = "qwen2_5_omni/tiny";

    public static string ResolveFolder()
    {
        var candidates = Candidates().Select(root => Path.Combine(root, RelativeFolder)).ToList();
        return candidates.FirstOrDefault(folder => File.Exists(Path.Combine(folder, "config.json")))
            ?? throw new DirectoryNotFoundException(
                $"The tiny Qwen2.5-Omni fixture was not found; looked in {string.Join(", ", candidates)}. Set {EnvironmentVariable}.");
    }

    private static List<string> Candidates()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return [Path.GetFullPath(fromEnvironment)];
        }

        var solution = new DirectoryInfo(AppContext.BaseDirectory);
        while (solution is not null && !File.Exists(Path.Combine(solution.FullName, "Streamer.sln")))
        {
            solution = solution.Parent;
        }
        var roots = new List<string>();
        for (var up = solution?.Parent; up is not null; up = up.Parent)
        {
            roots.Add(Path.Combine(up.FullName, "shared", "fixtures"));
        }
        return roots;
    }
}
