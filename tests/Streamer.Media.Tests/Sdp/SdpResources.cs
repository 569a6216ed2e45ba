using System.Runtime.CompilerServices;

namespace Streamer.Media.Tests.Sdp;

/// <summary>Reads the SDP samples kept next to these tests in Resources/.</summary>
internal static class SdpResources
{
    /// <summary>
    /// What Chromium 156's createOffer() produced for a canvas video track and a WebAudio track,
    /// both added sendonly as a WHIP client publishes them (headless, default codecs).
    /// </summary>
    public static string ChromiumOffer() => Read("chromium-offer.sdp");

    private static string Read(string name, [CallerFilePath] string callerPath = "")
    {
        string beside = Path.Combine(Path.GetDirectoryName(callerPath) ?? "", "Resources", name);
        if (File.Exists(beside))
        {
            return File.ReadAllText(beside);
        }
        // Builds with a path map hide the source path; find the file from the test binaries instead.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "Streamer.Media.Tests", "Sdp", "Resources", name);
            if (File.Exists(candidate))
            {
                return File.ReadAllText(candidate);
            }
        }
        throw new FileNotFoundException($"SDP sample {name} not found", name);
    }
}
