using System.Globalization;
using Streamer.Benchmarks.Media;

namespace Streamer.Benchmarks.AskLive;

/// <summary>
/// A small camera clip for many sessions on few cores: 320x240 at 10 fps of FFmpeg's testsrc2
/// pattern, H.264 (libx264 ultrafast, Baseline, so no B-frames) with a keyframe every 0.5 s, so
/// a session that connects mid-stream has a picture within half a second.
/// </summary>
public sealed class AskClip : IDisposable
{
    public const int Width = 320;
    public const int Height = 240;
    public const int FrameRate = 10;
    public const int KeyframeInterval = 5;

    private readonly string _directory;

    private AskClip(string directory)
    {
        _directory = directory;
    }

    public string Path => System.IO.Path.Combine(_directory, "camera.mp4");

    public static AskClip Encode(int seconds)
    {
        var clip = new AskClip(Directory.CreateTempSubdirectory("streamer-ask-live-").FullName);
        try
        {
            var invariant = CultureInfo.InvariantCulture;
            FfmpegCli.Run(
                "-loglevel", "error", "-y",
                "-t", seconds.ToString(invariant),
                "-f", "lavfi", "-i", $"testsrc2=size={Width}x{Height}:rate={FrameRate}",
                "-pix_fmt", "yuv420p", "-c:v", "libx264", "-preset", "ultrafast", "-profile:v", "baseline",
                "-g", KeyframeInterval.ToString(invariant), "-sc_threshold", "0", "-b:v", "300k", "-threads", "2",
                "-movflags", "+faststart", clip.Path);
            return clip;
        }
        catch
        {
            clip.Dispose();
            throw;
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
