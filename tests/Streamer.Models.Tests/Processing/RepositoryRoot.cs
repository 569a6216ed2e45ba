namespace Streamer.Models.Tests.Processing;

/// <summary>Finds the repository root (the folder holding Streamer.sln) above the test binaries.</summary>
internal static class RepositoryRoot
{
    public static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Streamer.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Streamer.sln above {AppContext.BaseDirectory}.");
    }
}
