namespace Streamer.Benchmarks.GlassToGlass;

/// <summary>The checkout the binaries were built in: the folder holding Streamer.sln above them.</summary>
public static class RepositoryRoot
{
    public const string SolutionFile = "Streamer.sln";

    public static string? Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, SolutionFile)))
            {
                return directory.FullName;
            }
        }
        return null;
    }
}
