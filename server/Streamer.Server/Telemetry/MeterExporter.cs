using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Prometheus;

namespace Streamer.Server.Telemetry;

/// <summary>
/// Exports every instrument of the <c>Streamer.*</c> meters to the Prometheus registry under
/// the instrument's own name (counters get <c>_total</c>). Protocol and pipeline code stays on
/// System.Diagnostics.Metrics and knows nothing of Prometheus. One per process: meters are.
/// </summary>
public sealed class MeterExporter : IDisposable
{
    private static readonly Lazy<MeterExporter> Shared = new(() =>
    {
        // prometheus-net's own meter adapter would export the same instruments under other names.
        Metrics.SuppressDefaultMetrics(new SuppressDefaultMetricOptions { SuppressMeters = true });
        return new MeterExporter(Metrics.DefaultRegistry);
    });

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, Exported> _exported = new();
    private readonly IMetricFactory _factory;

    private MeterExporter(CollectorRegistry registry)
    {
        _factory = Metrics.WithCustomRegistry(registry);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name.StartsWith("Streamer", StringComparison.Ordinal)) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
        // Observable gauges report when asked: ask right before every scrape.
        registry.AddBeforeCollectCallback(_listener.RecordObservableInstruments);
    }

    public static MeterExporter EnsureStarted() => Shared.Value;

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labelValues = new string[tags.Length];
        for (var i = 0; i < tags.Length; i++) labelValues[i] = tags[i].Value?.ToString() ?? "";
        var exported = _exported.GetOrAdd(instrument, (inst, t) => Create(inst, t), tags.ToArray());
        if (labelValues.Length != exported.LabelCount) return;
        exported.Record(labelValues, value);
    }

    private Exported Create(Instrument instrument, KeyValuePair<string, object?>[] tags)
    {
        var labels = tags.Select(t => t.Key).ToArray();
        var help = instrument.Description ?? instrument.Name;
        if (instrument.Unit is { Length: > 0 } unit) help += $" ({unit})";
        // OpenTelemetry-style names (streamer.kvstore.puts) become Prometheus names (streamer_kvstore_puts).
        var name = string.Concat(instrument.Name.Select(c => char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_'));
        return instrument switch
        {
            Counter<long> or Counter<int> or Counter<double> =>
                new Exported(labels.Length, (values, v) => _factory.CreateCounter(name + "_total", help, labels).WithLabels(values).Inc(v)),
            Histogram<double> or Histogram<long> or Histogram<int> =>
                new Exported(labels.Length, (values, v) => _factory.CreateHistogram(name, help, new HistogramConfiguration
                {
                    LabelNames = labels,
                    Buckets = Histogram.ExponentialBuckets(0.05, 2, 16),
                }).WithLabels(values).Observe(v)),
            _ => new Exported(labels.Length, (values, v) => _factory.CreateGauge(name, help, labels).WithLabels(values).Set(v)),
        };
    }

    private sealed record Exported(int LabelCount, Action<string[], double> Record);

    public void Dispose() => _listener.Dispose();
}
