using System.Globalization;
using System.Text;

namespace Streamer.Benchmarks.GlassToGlass;

/// <summary>
/// The run as one markdown table: per codec, the server path and the browser baseline with
/// their latency statistics, and the server's median and p95 over the baseline's (below 1 is
/// faster than the browser's own receive path).
/// </summary>
public static class GlassToGlassReport
{
    public static string Format(GlassToGlassResult result)
    {
        var text = new StringBuilder();
        text.AppendLine(Invariant($"Glass-to-glass latency, loopback: canvas {FrameCounterPattern.CanvasWidth}x{FrameCounterPattern.CanvasHeight} at {result.Fps} fps, {result.PhaseDuration.TotalSeconds:F0} s per row, first {result.WarmUp.TotalSeconds:F0} s skipped."));
        text.AppendLine();
        text.AppendLine("| Codec | Path | Frames | Rejected | Size | Median ms | p95 ms | Min ms | Max ms | Ratio median | Ratio p95 | Sent kbit/s | Pacer ms/pkt | Estimate kbit/s |");
        text.AppendLine("|---|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var phase in result.Phases)
        {
            var baseline = result.Phases.FirstOrDefault(p => p.Codec == phase.Codec && p.Path == GlassToGlassBenchmark.BrowserPath);
            var l = phase.Latency;
            text.AppendLine(Invariant(
                $"| {phase.Codec} | {phase.Path} | {l.Count}/{phase.Painted} | {phase.Rejected} | {phase.Resolution} | {l.Median:F1} | {l.P95:F1} | {l.Min:F1} | {l.Max:F1} | {Ratio(l.Median, baseline?.Latency.Median)} | {Ratio(l.P95, baseline?.Latency.P95)} | {phase.Sender.SentKilobitsPerSecond:F0} | {phase.Sender.PacerMillisecondsPerPacket:F1} | {(phase.Sender.EstimateKilobitsPerSecond > 0 ? phase.Sender.EstimateKilobitsPerSecond.ToString("F0", CultureInfo.InvariantCulture) : "")} |"));
        }
        text.AppendLine();
        text.AppendLine(Invariant(
            $"Frames: painted after the warm-up and matched at the far end / painted. Sent, Pacer and Estimate are the browser sender's bit rate, mean wait of a packet in its pacer and its bandwidth estimate (blank: not reported). Browser clock minus server clock: {result.ClockBefore.OffsetMilliseconds:+0.00;-0.00} ms before (round trip {result.ClockBefore.RoundTripMilliseconds:F2} ms), {result.ClockAfter.OffsetMilliseconds:+0.00;-0.00} ms after (round trip {result.ClockAfter.RoundTripMilliseconds:F2} ms)."));
        return text.ToString();
    }

    private static string Ratio(double value, double? baseline) =>
        baseline is { } b && b > 0 && !double.IsNaN(value) ? (value / b).ToString("F2", CultureInfo.InvariantCulture) : "";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
