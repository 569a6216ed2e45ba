using System.Diagnostics;

namespace Streamer.Media.Tests.Rtsp;

/// <summary>
/// A 4 s 320x240 15 fps testsrc clip (H.264 baseline in mp4, made with the ffmpeg CLI), its
/// frames as ffmpeg decodes them, and one GStreamer RTSP server serving it.
/// </summary>
public sealed class RtspServerFixture : IDisposable
{
    public const int Width = 320;
    public const int Height = 240;
    public const int FrameRate = 15;

    public RtspServerFixture()
    {
        Folder = Path.Combine(Path.GetTempPath(), "streamer-rtsp-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        Clip = Path.Combine(Folder, "clip.mp4");
        Ffmpeg($"-f lavfi -i testsrc=size={Width}x{Height}:rate={FrameRate} -t 4 -pix_fmt yuv420p -c:v libx264 -profile:v baseline -g 15 \"{Clip}\"");
        var raw = Path.Combine(Folder, "clip.yuv");
        Ffmpeg($"-i \"{Clip}\" -f rawvideo -pix_fmt yuv420p \"{raw}\"");
        var bytes = File.ReadAllBytes(raw);
        var frameSize = Width * Height * 3 / 2;
        SourceLuma = Enumerable.Range(0, bytes.Length / frameSize).Select(i => bytes.AsSpan(i * frameSize, Width * Height).ToArray()).ToList();
        Server = new RtspTestServer(Clip);
    }

    public string Folder { get; }

    public string Clip { get; }

    /// <summary>The Y plane of every frame of the clip, decoded by ffmpeg.</summary>
    public IReadOnlyList<byte[]> SourceLuma { get; }

    public RtspTestServer Server { get; }

    private void Ffmpeg(string arguments)
    {
        var info = new ProcessStartInfo("ffmpeg", "-hide_banner -loglevel error -y " + arguments)
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(info)!;
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"ffmpeg {arguments} failed: {errors}");
    }

    public void Dispose()
    {
        Server.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RtspServerCollection : ICollectionFixture<RtspServerFixture>
{
    public const string Name = "RTSP server";
}
