namespace Streamer.Benchmarks.GlassToGlass;

/// <summary>
/// One measured path for one codec: every frame painted after the warm-up matched with the first
/// time its counter came out at the far end.
/// </summary>
/// <param name="Painted">Frames painted after the warm-up.</param>
/// <param name="Received">Frames read at the far end, all of them (warm-up included).</param>
/// <param name="Rejected">Frames at the far end whose counter or guard could not be read.</param>
/// <param name="Resolution">Size of the frames read at the far end (the last one).</param>
/// <param name="Sender">The browser's sender over the measured time.</param>
public sealed record PhaseResult(
    string Codec, string Path, int Painted, int Received, int Rejected, string Resolution, SenderActivity Sender, LatencyStatistics Latency)
{
    /// <summary>
    /// Latency of each painted frame (after <paramref name="measureFrom"/>) to the first arrival
    /// of its counter. Counters keep counting across phases, so a late frame of an earlier
    /// phase never matches; a frame that never arrived (captured, encoded or sent over by a
    /// newer one) simply has no latency.
    /// </summary>
    public static PhaseResult Match(
        string codec, string path, IReadOnlyList<FrameStamp> paints, IReadOnlyList<FrameStamp> arrivals,
        double measureFrom, int rejected, string resolution, SenderActivity sender)
    {
        var firstArrival = new Dictionary<int, double>();
        foreach (var arrival in arrivals)
        {
            firstArrival.TryAdd(arrival.Counter, arrival.AtMilliseconds);
        }

        var measured = paints.Where(p => p.AtMilliseconds >= measureFrom).ToList();
        var latencies = measured
            .Where(p => firstArrival.ContainsKey(p.Counter))
            .Select(p => firstArrival[p.Counter] - p.AtMilliseconds);
        return new PhaseResult(codec, path, measured.Count, arrivals.Count, rejected, resolution, sender, LatencyStatistics.Of(latencies));
    }
}
