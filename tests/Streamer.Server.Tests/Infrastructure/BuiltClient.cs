using System.Diagnostics;

namespace Streamer.Server.Tests.Infrastructure;

/// <summary>The repository's client-web/dist, built once per test run when it is missing.</summary>
internal static class BuiltClient
{
    private static readonly Lazy<string> Dist = new(Build);

    public static string EnsureBuilt() => Dist.Value;

    private static string Build()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Streamer.sln"))) root = root.Parent;
        if (root is null) throw new InvalidOperationException("The repository root (Streamer.sln) is not above the test binaries.");
        var dist = Path.Combine(root.FullName, "client-web", "dist");
        if (File.Exists(Path.Combine(dist, "index.html"))) return dist;

        var info = new ProcessStartInfo(Path.Combine(root.FullName, "scripts", "build-client.sh"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var build = Process.Start(info)!;
        var stdout = build.StandardOutput.ReadToEndAsync();
        var stderr = build.StandardError.ReadToEnd();
        build.WaitForExit();
        if (build.ExitCode != 0) throw new InvalidOperationException($"scripts/build-client.sh failed: {stderr}{stdout.Result}");
        return dist;
    }
}
