using System.Globalization;
using Streamer.Benchmarks.Media;

namespace Streamer.Benchmarks.Rtsp;

/// <summary>
/// Two 1080p25 H.264 mp4 clips of FFmpeg's testsrc2 pattern, encoded by the ffmpeg CLI (libx264
/// superfast, Main profile, no B-frames, 4 Mbit/s capped, as IP cameras commonly send) in one
/// run: <see cref="Camera"/> with a keyframe every 2 s, the usual camera setting, and
/// <see cref="Sampled"/> with a keyframe every 0.5 s, the stream a 2 fps sampler could read
/// by decoding keyframes alone.
/// </summary>
public sealed class IngestClips : IDisposable
{
    public const int Width = 1920;
    public const int Height = 1080;
    public const int FrameRate = 25;
    public const int SampleRate = 2;
    public const string BitRate = "4M";
    public const int CameraKeyframeSeconds = 2;

    private readonly string _directory;

    private IngestClips(string directory)
    {
        _directory = directory;
    }

    /// <summary>Keyframe every <see cref="CameraKeyframeSeconds"/> s.</summary>
    public string Camera => Path.Combine(_directory, "camera.mp4");

    /// <summary>Keyframe every 1/<see cref="SampleRate"/> s.</summary>
    public string Sampled => Path.Combine(_directory, "sampled.mp4");

    public int Seconds { get; private init; }

    public static IngestClips Encode(int seconds)
    {
        var directory = Directory.CreateTempSubdirectory("streamer-rtsp-ingest-").FullName;
        var clips = new IngestClips(directory) { Seconds = seconds };
        try
        {
            var invariant = CultureInfo.InvariantCulture;
            string[] common = [
                "-pix_fmt", "yuv420p", "-c:v", "libx264", "-preset", "superfast", "-profile:v", "main", "-bf", "0",
                "-b:v", BitRate, "-maxrate", BitRate, "-bufsize", "8M", "-sc_threshold", "0", "-threads", "2",
                "-movflags", "+faststart"];
            FfmpegCli.Run([
                "-loglevel", "error", "-y",
                // An input option, so it limits both outputs.
                "-t", seconds.ToString(invariant),
                "-f", "lavfi", "-i", $"testsrc2=size={Width}x{Height}:rate={FrameRate}",
                .. common, "-g", (CameraKeyframeSeconds * FrameRate).ToString(invariant), clips.Camera,
                .. common, "-g", "250", "-force_key_frames", $"expr:gte(t,n_forced/{SampleRate})", clips.Sampled]);
            return clips;
        }
        catch
        {
            clips.Dispose();
            throw;
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
