using Streamer.Media.Codecs;

namespace Streamer.Benchmarks.Media;

/// <summary>
/// A 720p30 clip of FFmpeg's testsrc pattern, encoded by the ffmpeg CLI with the settings of
/// <see cref="VideoEncoder"/> (VP8: libvpx realtime, cpu-used 8, no lag; H.264: libx264
/// ultrafast, zerolatency, baseline) into a temporary file: IVF for VP8, Annex-B for H.264.
/// </summary>
public sealed class TestClip : IDisposable
{
    public const int Width = 1280;
    public const int Height = 720;
    public const int FrameRate = 30;
    public const int FrameCount = 90;
    public const string BitRate = "2M";
    public const int KeyframeInterval = 60;
    private const uint RtpTicksPerFrame = 90_000 / FrameRate;

    private readonly string _directory;

    private TestClip(VideoCodec codec, string directory, string path, List<EncodedFrame> frames)
    {
        Codec = codec;
        _directory = directory;
        Path = path;
        Frames = frames;
    }

    public VideoCodec Codec { get; }

    /// <summary>The encoded file, for the ffmpeg CLI.</summary>
    public string Path { get; }

    /// <summary>The same bitstream split into frames (VP8 frames, H.264 access units), for <see cref="VideoDecoder"/>.</summary>
    public List<EncodedFrame> Frames { get; }

    public static TestClip Encode(VideoCodec codec)
    {
        var directory = Directory.CreateTempSubdirectory("streamer-bench-").FullName;
        try
        {
            var (encoder, format, extension) = codec switch
            {
                VideoCodec.Vp8 => ((string[])["-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-lag-in-frames", "0"], "ivf", "ivf"),
                VideoCodec.H264 => (["-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-profile:v", "baseline", "-bf", "0"], "h264", "h264"),
                _ => throw new NotSupportedException($"No test clip for {codec}."),
            };
            var path = System.IO.Path.Combine(directory, $"clip.{extension}");
            FfmpegCli.Run([
                "-loglevel", "error", "-y",
                "-f", "lavfi", "-i", $"testsrc=size={Width}x{Height}:rate={FrameRate}",
                "-frames:v", FrameCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "-pix_fmt", "yuv420p", .. encoder,
                "-b:v", BitRate, "-g", KeyframeInterval.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "-threads", "1", "-f", format, path]);

            var file = File.ReadAllBytes(path);
            var frames = codec == VideoCodec.Vp8 ? SplitIvf(file) : SplitAnnexB(file);
            if (frames.Count != FrameCount || !frames[0].IsKeyframe)
            {
                throw new InvalidOperationException($"{codec} clip has {frames.Count} frames (first keyframe: {frames.FirstOrDefault()?.IsKeyframe}), expected {FrameCount} starting with a keyframe.");
            }
            return new TestClip(codec, directory, path, frames);
        }
        catch
        {
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    private static List<EncodedFrame> SplitIvf(byte[] file)
    {
        if (!IvfReader.TryOpen(file, out var reader, out var error))
        {
            throw new InvalidOperationException($"ffmpeg wrote an unreadable IVF file: {error}");
        }
        var frames = new List<EncodedFrame>();
        while (reader!.TryReadFrame(out var data, out _))
        {
            // P, the low bit of the VP8 frame tag, is 0 on keyframes (RFC 6386 9.1).
            var isKeyframe = (data.Span[0] & 0x01) == 0;
            frames.Add(EncodedFrame.Copy(data.Span, VideoCodec.Vp8, (uint)frames.Count * RtpTicksPerFrame, isKeyframe));
        }
        return frames;
    }

    private static List<EncodedFrame> SplitAnnexB(byte[] file)
    {
        var frames = new List<EncodedFrame>();
        foreach (var unit in AnnexBReader.SplitH264AccessUnits(file))
        {
            var isKeyframe = false;
            var reader = new AnnexBReader(unit.Span);
            while (reader.TryReadNalUnit(out var nal))
            {
                isKeyframe |= H264NalUnitType.Of(nal[0]) == H264NalUnitType.Idr;
            }
            frames.Add(EncodedFrame.Copy(unit.Span, VideoCodec.H264, (uint)frames.Count * RtpTicksPerFrame, isKeyframe));
        }
        return frames;
    }

    public void Dispose()
    {
        foreach (var frame in Frames)
        {
            frame.Dispose();
        }
        Directory.Delete(_directory, recursive: true);
    }
}
