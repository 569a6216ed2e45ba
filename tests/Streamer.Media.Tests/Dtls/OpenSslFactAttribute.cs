namespace Streamer.Media.Tests.Dtls;

/// <summary>A fact that is skipped, with a reason, where the openssl command is not installed.</summary>
public sealed class OpenSslFactAttribute : FactAttribute
{
    public OpenSslFactAttribute()
    {
        if (OpenSslPath is null)
            Skip = "openssl is not on PATH";
    }

    public static string? OpenSslPath { get; } =
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "openssl"))
            .FirstOrDefault(File.Exists);
}
