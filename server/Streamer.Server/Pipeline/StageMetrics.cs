using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Streamer.Server.Pipeline;

/// <summary>
/// Items in, out and dropped, latency and queue depth of one stage. Published through the
/// <c>Streamer.Pipeline</c> meter (exported on /metrics) and readable directly for the API.
/// </summary>
public sealed class StageMetrics
{
    public static readonly Meter Meter = new("Streamer.Pipeline");
    private static readonly Counter<long> InCounter = Meter.CreateCounter<long>("streamer_stage_items_in", description: "Items a stage read");
    private static readonly Counter<long> OutCounter = Meter.CreateCounter<long>("streamer_stage_items_out", description: "Items a stage wrote");
    private static readonly Counter<long> DroppedCounter = Meter.CreateCounter<long>("streamer_stage_items_dropped", description: "Items dropped by a full channel");
    private static readonly Histogram<double> LatencyHistogram = Meter.CreateHistogram<double>("streamer_stage_latency", "ms", "Time a stage spent on one item");
    private static readonly ConcurrentDictionary<StageMetrics, Func<int>> QueueDepths = new();

    static StageMetrics()
    {
        Meter.CreateObservableGauge("streamer_stage_queue_depth", ObserveQueueDepths, description: "Items waiting in a stage's input channel");
    }

    private readonly KeyValuePair<string, object?> _tag;
    private long _in, _out, _dropped, _latencyCount, _latencyTicks;
    private double _lastLatencyMs;

    public StageMetrics(string stage)
    {
        Stage = stage;
        _tag = new("stage", stage);
    }

    public string Stage { get; }
    public long In => Interlocked.Read(ref _in);
    public long Out => Interlocked.Read(ref _out);
    public long Dropped => Interlocked.Read(ref _dropped);
    public double LastLatencyMs => Volatile.Read(ref _lastLatencyMs);

    /// <summary>Items whose latency was recorded; with <see cref="LatencyTotalMs"/> a reader gets the mean over any interval.</summary>
    public long LatencyCount => Interlocked.Read(ref _latencyCount);

    public double LatencyTotalMs => TimeSpan.FromTicks(Interlocked.Read(ref _latencyTicks)).TotalMilliseconds;

    /// <summary>Items waiting in the attached input queue; 0 when none is attached.</summary>
    public int QueueDepth => QueueDepths.TryGetValue(this, out var depth) ? depth() : 0;

    public void RecordIn() { Interlocked.Increment(ref _in); InCounter.Add(1, _tag); }

    public void RecordOut() { Interlocked.Increment(ref _out); OutCounter.Add(1, _tag); }

    public void RecordDropped() { Interlocked.Increment(ref _dropped); DroppedCounter.Add(1, _tag); }

    public void RecordLatency(TimeSpan elapsed)
    {
        Volatile.Write(ref _lastLatencyMs, elapsed.TotalMilliseconds);
        Interlocked.Add(ref _latencyTicks, elapsed.Ticks);
        Interlocked.Increment(ref _latencyCount);
        LatencyHistogram.Record(elapsed.TotalMilliseconds, _tag);
    }

    /// <summary>Reports the depth of this stage's input queue until <see cref="DetachQueue"/>.</summary>
    public void AttachQueue(Func<int> depth) => QueueDepths[this] = depth;

    public void DetachQueue() => QueueDepths.TryRemove(this, out _);

    private static IEnumerable<Measurement<int>> ObserveQueueDepths() =>
        QueueDepths.Select(p => new Measurement<int>(p.Value(), p.Key._tag));
}
