using System.Diagnostics;

namespace Streamer.Media.Tests.Codecs;

/// <summary>
/// A 30-frame 320x240 testsrc clip made once with the ffmpeg CLI, as raw y4m and encoded to
/// VP8 (IVF) and H.264 (Annex-B). The VP8 copy with a keyframe every 10 frames feeds the loss tests.
/// </summary>
public sealed class TestClips : IDisposable
{
    public const int Width = 320;
    public const int Height = 240;
    public const int FrameCount = 30;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "streamer-codecs-" + Guid.NewGuid().ToString("N"));

    public TestClips()
    {
        Directory.CreateDirectory(_folder);
        var y4m = Path.Combine(_folder, "clip.y4m");
        Ffmpeg($"-f lavfi -i testsrc=size={Width}x{Height}:rate=15 -frames:v {FrameCount} -pix_fmt yuv420p \"{y4m}\"");
        Ffmpeg($"-i \"{y4m}\" -c:v libvpx -b:v 1M -f ivf \"{Path.Combine(_folder, "clip.ivf")}\"");
        Ffmpeg($"-i \"{y4m}\" -c:v libvpx -b:v 1M -g 10 -keyint_min 10 -f ivf \"{Path.Combine(_folder, "gop10.ivf")}\"");
        Ffmpeg($"-i \"{y4m}\" -c:v libx264 -bsf:v h264_mp4toannexb -f h264 \"{Path.Combine(_folder, "clip.h264")}\"");
        SourceLuma = ReadY4mLuma(File.ReadAllBytes(y4m));
        SourceFrames = ReadY4mFrames(File.ReadAllBytes(y4m));
        Vp8Ivf = File.ReadAllBytes(Path.Combine(_folder, "clip.ivf"));
        Vp8Gop10Ivf = File.ReadAllBytes(Path.Combine(_folder, "gop10.ivf"));
        H264AnnexB = File.ReadAllBytes(Path.Combine(_folder, "clip.h264"));
    }

    /// <summary>The Y plane of each source frame.</summary>
    public IReadOnlyList<byte[]> SourceLuma { get; }

    /// <summary>Each source frame as I420.</summary>
    public IReadOnlyList<byte[]> SourceFrames { get; }

    public byte[] Vp8Ivf { get; }
    public byte[] Vp8Gop10Ivf { get; }
    public byte[] H264AnnexB { get; }

    private static List<byte[]> ReadY4mLuma(byte[] file) =>
        ReadY4mFrames(file).Select(frame => frame[..(Width * Height)]).ToList();

    // y4m: one text header line, then per frame a "FRAME" line (parameters optional) and the planes.
    private static List<byte[]> ReadY4mFrames(byte[] file)
    {
        var frames = new List<byte[]>();
        var frameSize = Width * Height * 3 / 2;
        var position = Array.IndexOf(file, (byte)'\n') + 1;
        while (position < file.Length)
        {
            var lineEnd = Array.IndexOf(file, (byte)'\n', position);
            Assert.True(file.AsSpan(position, 5).SequenceEqual("FRAME"u8));
            position = lineEnd + 1;
            frames.Add(file.AsSpan(position, frameSize).ToArray());
            position += frameSize;
        }
        return frames;
    }

    private void Ffmpeg(string arguments)
    {
        var info = new ProcessStartInfo("ffmpeg", "-hide_banner -loglevel error -y " + arguments)
        {
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _folder,
        };
        using var process = Process.Start(info)!;
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"ffmpeg {arguments} failed: {errors}");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
