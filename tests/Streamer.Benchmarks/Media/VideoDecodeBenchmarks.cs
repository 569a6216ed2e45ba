using BenchmarkDotNet.Attributes;
using Streamer.Benchmarks.Reporting;
using Streamer.Media.Codecs;

namespace Streamer.Benchmarks.Media;

/// <summary>
/// Frames per second of <see cref="VideoDecoder"/> (libavcodec through P/Invoke, one thread,
/// each picture copied out as an I420 <see cref="VideoFrame"/>) on a 720p test clip, against
/// the ffmpeg CLI decoding the same file with one thread into the null muxer, timed by its own
/// <c>-benchmark</c> clock in this run's setup (median of <see cref="CliRuns"/> runs).
/// </summary>
[Config(typeof(ExternalBaselineConfig))]
public class VideoDecodeBenchmarks
{
    public const int CliRuns = 5;

    private readonly List<VideoFrame> _pictures = [];
    private TestClip _clip = null!;
    private VideoDecoder _decoder = null!;

    [Params(VideoCodec.Vp8, VideoCodec.H264)]
    public VideoCodec Codec { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _clip = TestClip.Encode(Codec);
        _decoder = VideoDecoder.Create(Codec, threads: 1);
        var decoded = Decode();
        if (decoded != TestClip.FrameCount)
        {
            throw new InvalidOperationException($"{Codec}: decoded {decoded} of {TestClip.FrameCount} frames ({_decoder.LastError}).");
        }

        var runs = Enumerable.Range(0, CliRuns).Select(_ => FfmpegCli.BenchmarkDecode(_clip.Path)).ToList();
        if (runs.Any(r => r.Frames != TestClip.FrameCount))
        {
            throw new InvalidOperationException($"{Codec}: the ffmpeg CLI output {runs[0].Frames} frames, expected {TestClip.FrameCount}.");
        }
        var median = runs.Select(r => r.Seconds).Order().ElementAt(CliRuns / 2);
        ExternalBaselines.Record(typeof(VideoDecodeBenchmarks), Codec.ToString(),
            new ExternalBaseline("ffmpeg -threads 1 CLI", TestClip.FrameCount / median));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _decoder.Dispose();
        _clip.Dispose();
    }

    /// <summary>Decodes the whole clip from its first keyframe and drains the decoder.</summary>
    [Benchmark(OperationsPerInvoke = TestClip.FrameCount)]
    public int Decode()
    {
        var decoded = 0;
        foreach (var frame in _clip.Frames)
        {
            if (_decoder.Decode(frame, _pictures) != DecodeStatus.Ok)
            {
                throw new InvalidOperationException($"{Codec} decode failed: {_decoder.LastError}");
            }
            decoded += Release();
        }
        _decoder.Flush(_pictures);
        return decoded + Release();
    }

    private int Release()
    {
        var count = _pictures.Count;
        foreach (var picture in _pictures)
        {
            picture.Dispose();
        }
        _pictures.Clear();
        return count;
    }
}
