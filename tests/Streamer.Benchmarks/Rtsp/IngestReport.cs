using System.Globalization;
using System.Text;
using Streamer.Media.Rtsp;

namespace Streamer.Benchmarks.Rtsp;

/// <summary>
/// The markdown report of an <c>rtsp-ingest</c> run: one row per measured case, Streamer's
/// CPU per decoded frame as a ratio to the ffmpeg CLI's on the same transport in the same run
/// (below 1 is cheaper than ffmpeg), and the cameras-per-core lines the issue asks for.
/// </summary>
public static class IngestReport
{
    public static string Format(IReadOnlyList<IngestResult> results, RtspIngestOptions options, string machine)
    {
        var text = new StringBuilder();
        text.AppendLine(Invariant($"RTSP camera ingest: 1080p{IngestClips.FrameRate} H.264 (Main, no B-frames, {IngestClips.BitRate}bit/s) from GStreamer's RTSP server on 127.0.0.1, {options.Seconds} s windows after a {StreamerIngest.Warmup.TotalSeconds:0} s warm-up. {machine}"));
        text.AppendLine();
        text.AppendLine("| Decoder | Transport | Cameras | Decode | Received fps | Decoded fps | Mbit/s | CPU ms/decoded frame | CPU s/camera-s | Cameras/core | Server CPU s/camera-s | Alloc KB/frame | Dropped | Errors | Ratio CPU/frame vs ffmpeg |");
        text.AppendLine("|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var result in results)
        {
            var ratio = RatioToBaseline(results, result);
            // The CLI reports neither drops nor decode errors the same way; blank rather than a made-up zero.
            var ours = result.Name == StreamerIngest.Name;
            text.AppendLine(Invariant(
                $"| {result.Name} | {Transport(result.Case.Transport)} | {result.Case.Cameras} | {result.Case.Decode} | {result.ReceivedFps:0.0} | {result.DecodedFps:0.0} | {Optional(result.MegabitsPerSecond, "0.0")} | {result.CpuMillisecondsPerDecodedFrame:0.00} | {result.CpuSecondsPerCameraSecond:0.000} | {result.CamerasPerCore:0.0} | {result.ServerCpuSecondsPerCameraSecond:0.000} | {Optional(result.AllocatedKilobytesPerFrame, "0.0")} | {(ours ? Invariant($"{result.Dropped}") : "")} | {(ours ? Invariant($"{result.DecodeErrors}") : "")} | {Optional(ratio, "0.00")} |"));
        }

        text.AppendLine();
        var full = Find(results, StreamerIngest.Name, RtspTransportProtocol.Tcp, 1, keyframesOnly: false);
        if (full is not null)
        {
            text.AppendLine(Invariant(
                $"- Cameras per core at {IngestClips.SampleRate} fps sampling, decoding every frame: **{full.CamerasPerCore:0.0}** ({full.CpuSecondsPerCameraSecond:0.000} CPU s per camera-second, one camera over TCP). H.264 frames reference earlier frames, so the decoder pays for every frame of the camera's native {IngestClips.FrameRate} fps whatever the sampling rate."));
        }
        var most = results.Where(r => r.Name == StreamerIngest.Name && !r.Case.KeyframesOnly).MaxBy(r => r.Case.Cameras);
        if (most is not null && most.Case.Cameras > 1)
        {
            text.AppendLine(Invariant(
                $"- With {most.Case.Cameras} cameras at once: **{most.CamerasPerCore:0.0}** per core ({most.ReceivedFps:0.0} fps received, {most.DecodedFps:0.0} decoded in aggregate)."));
        }
        var keyframes = results.FirstOrDefault(r => r.Name == StreamerIngest.Name && r.Case.KeyframesOnly);
        if (keyframes is not null)
        {
            text.AppendLine(Invariant(
                $"- Decoding keyframes only, from a camera sending a keyframe every {1.0 / IngestClips.SampleRate:0.0} s: **{keyframes.CamerasPerCore:0.0}** per core ({keyframes.CpuSecondsPerCameraSecond:0.000} CPU s per camera-second: every frame is still received and reassembled, {keyframes.DecodedFps / keyframes.Case.Cameras:0.0} fps decoded)."));
        }
        var baseline = Find(results, FfmpegRtspBaseline.Name, RtspTransportProtocol.Tcp, 1, keyframesOnly: false);
        if (full is not null && baseline is not null)
        {
            text.AppendLine(Invariant(
                $"- Streamer over ffmpeg, CPU per decoded frame over TCP: **{full.CpuMillisecondsPerDecodedFrame / baseline.CpuMillisecondsPerDecodedFrame:0.00}** ({full.CpuMillisecondsPerDecodedFrame:0.00} ms against {baseline.CpuMillisecondsPerDecodedFrame:0.00} ms); Streamer also copies every picture out as I420, ffmpeg hands its frames to the null muxer."));
        }
        return text.ToString();
    }

    private static double? RatioToBaseline(IReadOnlyList<IngestResult> results, IngestResult result)
    {
        if (result.Name != StreamerIngest.Name || result.Case.KeyframesOnly)
        {
            return null;
        }
        var baseline = Find(results, FfmpegRtspBaseline.Name, result.Case.Transport, 1, keyframesOnly: false);
        return baseline is null ? null : result.CpuMillisecondsPerDecodedFrame / baseline.CpuMillisecondsPerDecodedFrame;
    }

    private static IngestResult? Find(IReadOnlyList<IngestResult> results, string name, RtspTransportProtocol transport, int cameras, bool keyframesOnly) =>
        results.FirstOrDefault(r => r.Name == name && r.Case.Transport == transport && r.Case.Cameras == cameras && r.Case.KeyframesOnly == keyframesOnly);

    private static string Optional(double? value, string format) => value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "";

    private static string Transport(RtspTransportProtocol transport) => transport == RtspTransportProtocol.Tcp ? "TCP" : "UDP";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
