using System.Diagnostics.Metrics;

namespace Streamer.Models.Memory;

/// <summary>
/// The device tier's instruments, on the store's meter and named like the store's own
/// (<c>streamer.kvstore.device.*</c>), tagged with the tier and the session.
/// </summary>
internal sealed class DeviceTierMetrics : IDisposable
{
    /// <summary>The kvstore's meter name, so one listener sees every tier.</summary>
    public const string MeterName = "Streamer.KvStore";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly KeyValuePair<string, object?> _tierTag = new("tier", DeviceBlockTier.TierName);
    private readonly KeyValuePair<string, object?> _sessionTag;
    private readonly Counter<long> _hits;
    private readonly Counter<long> _misses;
    private readonly Counter<long> _evictions;
    private readonly Histogram<double> _loadDuration;

    public DeviceTierMetrics(DeviceBlockTier tier, string sessionId, IMeterFactory? meterFactory)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(new MeterOptions(MeterName)) ?? new Meter(MeterName);
        _sessionTag = new("session", sessionId);
        _meter.CreateObservableGauge("streamer.kvstore.device.bytes", () => new Measurement<long>(tier.BytesUsed, _tierTag, _sessionTag),
            "By", "Bytes of block tensors held on the model's device");
        _meter.CreateObservableGauge("streamer.kvstore.device.blocks", () => new Measurement<long>(tier.BlocksUsed, _tierTag, _sessionTag),
            "{block}", "Blocks held on the model's device");
        _hits = _meter.CreateCounter<long>("streamer.kvstore.device.hits", "{block}", "Retrieved blocks already on the device");
        _misses = _meter.CreateCounter<long>("streamer.kvstore.device.misses", "{block}", "Retrieved blocks loaded from the store and uploaded");
        _evictions = _meter.CreateCounter<long>("streamer.kvstore.device.evictions", "{block}", "Blocks let go to make room (still in the store)");
        _loadDuration = _meter.CreateHistogram<double>("streamer.kvstore.device.load.duration", "ms", "Store read, decode and upload of a missed block");
    }

    public void Hit() => _hits.Add(1, _tierTag, _sessionTag);

    public void Miss() => _misses.Add(1, _tierTag, _sessionTag);

    public void Evicted() => _evictions.Add(1, _tierTag, _sessionTag);

    public void Loaded(TimeSpan elapsed) => _loadDuration.Record(elapsed.TotalMilliseconds, _tierTag, _sessionTag);

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
