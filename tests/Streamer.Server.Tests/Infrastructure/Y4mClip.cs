using System.Diagnostics;
using System.Text;

namespace Streamer.Server.Tests.Infrastructure;

/// <summary>A y4m test pattern made with the ffmpeg CLI, and its frames' planes for comparison.</summary>
public sealed class Y4mClip : IDisposable
{
    private Y4mClip(string path, int width, int height, List<byte[]> lumaFrames)
    {
        Path = path;
        Width = width;
        Height = height;
        LumaFrames = lumaFrames;
    }

    public string Path { get; }
    public int Width { get; }
    public int Height { get; }
    public IReadOnlyList<byte[]> LumaFrames { get; }

    public static Y4mClip Create(int width, int height, int fps, double seconds, string source = "testsrc")
    {
        var folder = Directory.CreateTempSubdirectory("streamer-y4m-").FullName;
        var path = System.IO.Path.Combine(folder, "camera.y4m");
        var info = new ProcessStartInfo("ffmpeg")
        {
            ArgumentList = { "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", $"{source}=size={width}x{height}:rate={fps}",
                "-t", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "-pix_fmt", "yuv420p", "-y", path },
            RedirectStandardError = true,
        };
        using (var ffmpeg = Process.Start(info)!)
        {
            var error = ffmpeg.StandardError.ReadToEnd();
            ffmpeg.WaitForExit();
            if (ffmpeg.ExitCode != 0) throw new InvalidOperationException($"ffmpeg failed: {error}");
        }
        return new Y4mClip(path, width, height, ReadLuma(path, width, height));
    }

    private static List<byte[]> ReadLuma(string path, int width, int height)
    {
        var bytes = File.ReadAllBytes(path);
        var frames = new List<byte[]>();
        var frameSize = width * height * 3 / 2;
        var marker = Encoding.ASCII.GetBytes("FRAME");
        var position = Array.IndexOf(bytes, (byte)'\n') + 1;
        while (position + marker.Length < bytes.Length)
        {
            if (!bytes.AsSpan(position, marker.Length).SequenceEqual(marker)) throw new InvalidDataException("bad y4m frame header");
            position = Array.IndexOf(bytes, (byte)'\n', position) + 1;
            frames.Add(bytes.AsSpan(position, width * height).ToArray());
            position += frameSize;
        }
        return frames;
    }

    /// <summary>The best luma PSNR of <paramref name="luma"/> against any source frame.</summary>
    public double BestPsnr(ReadOnlySpan<byte> luma)
    {
        var best = 0.0;
        foreach (var frame in LumaFrames) best = Math.Max(best, Psnr(frame, luma));
        return best;
    }

    public static double Psnr(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var d = a[i] - b[i];
            sum += d * d;
        }
        var mse = sum / a.Length;
        return mse == 0 ? 99 : 10 * Math.Log10(255.0 * 255.0 / mse);
    }

    public void Dispose() => Directory.Delete(System.IO.Path.GetDirectoryName(Path)!, recursive: true);
}
