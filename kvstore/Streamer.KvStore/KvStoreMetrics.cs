using System.Diagnostics.Metrics;

namespace Streamer.KvStore;

/// <summary>
/// The store's instruments on meter <see cref="MeterName"/>, and the same numbers kept as
/// plain counters for <see cref="TieredKvStore.Snapshot"/>. Every instrument carries the
/// store name, and the tier where one applies.
/// </summary>
internal sealed class KvStoreMetrics : IDisposable
{
    public const string MeterName = "Streamer.KvStore";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly KeyValuePair<string, object?> _storeTag;
    private readonly string[] _tierNames;
    private readonly Counter<long> _hits;
    private readonly Counter<long> _misses;
    private readonly Counter<long> _puts;
    private readonly Counter<long> _demotions;
    private readonly Counter<long> _promotions;
    private readonly Counter<long> _drops;
    private readonly Histogram<double> _putDuration;
    private readonly Histogram<double> _getDuration;

    private readonly long[] _tierHits;
    private readonly long[] _tierPuts;
    private readonly long[] _tierDemotedOut;
    private readonly long[] _tierPromotions;
    private readonly long[] _tierDrops;
    private readonly long[] _dropsByReason = new long[Enum.GetValues<KvDropReason>().Length];
    private long _putCount;
    private long _getCount;
    private long _missCount;
    private long _putTicks;
    private long _getTicks;

    public KvStoreMetrics(string storeName, IReadOnlyList<IKvTier> tiers, IMeterFactory? meterFactory)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(new MeterOptions(MeterName)) ?? new Meter(MeterName);
        _storeTag = new("store", storeName);
        _tierNames = tiers.Select(t => t.Name).ToArray();
        _tierHits = new long[tiers.Count];
        _tierPuts = new long[tiers.Count];
        _tierDemotedOut = new long[tiers.Count];
        _tierPromotions = new long[tiers.Count];
        _tierDrops = new long[tiers.Count];

        _meter.CreateObservableGauge("streamer.kvstore.bytes", () => Observe(tiers, t => t.BytesUsed), "By", "Bytes held per tier");
        _meter.CreateObservableGauge("streamer.kvstore.blocks", () => Observe(tiers, t => (long)t.BlocksUsed), "{block}", "Blocks held per tier");
        _meter.CreateObservableGauge("streamer.kvstore.available", () => Observe(tiers, t => t.IsAvailable ? 1L : 0L), null, "1 while the tier is reachable");
        _hits = _meter.CreateCounter<long>("streamer.kvstore.hits", "{block}", "Reads served, by tier");
        _misses = _meter.CreateCounter<long>("streamer.kvstore.misses", "{block}", "Reads of blocks the store does not hold");
        _puts = _meter.CreateCounter<long>("streamer.kvstore.puts", "{block}", "Blocks stored, by tier");
        _demotions = _meter.CreateCounter<long>("streamer.kvstore.demotions", "{block}", "Blocks moved to a colder tier, by source tier");
        _promotions = _meter.CreateCounter<long>("streamer.kvstore.promotions", "{block}", "Blocks moved to the top tier on read, by source tier");
        _drops = _meter.CreateCounter<long>("streamer.kvstore.drops", "{block}", "Blocks let go, by reason");
        _putDuration = _meter.CreateHistogram<double>("streamer.kvstore.put.duration", "ms", "Put latency including demotions");
        _getDuration = _meter.CreateHistogram<double>("streamer.kvstore.get.duration", "ms", "Get latency including promotion");
    }

    public void Hit(int tier)
    {
        Interlocked.Increment(ref _tierHits[tier]);
        _hits.Add(1, _storeTag, Tier(tier));
    }

    public void Miss()
    {
        Interlocked.Increment(ref _missCount);
        _misses.Add(1, _storeTag);
    }

    public void Stored(int tier)
    {
        Interlocked.Increment(ref _tierPuts[tier]);
        _puts.Add(1, _storeTag, Tier(tier));
    }

    public void Demoted(int fromTier, int toTier)
    {
        Interlocked.Increment(ref _tierDemotedOut[fromTier]);
        _demotions.Add(1, _storeTag, Tier(fromTier), new("to", _tierNames[toTier]));
    }

    public void Promoted(int fromTier)
    {
        Interlocked.Increment(ref _tierPromotions[fromTier]);
        _promotions.Add(1, _storeTag, Tier(fromTier));
    }

    /// <param name="tier">The tier that let the block go, or -1 for a block never stored.</param>
    public void Dropped(KvDropReason reason, int tier)
    {
        Interlocked.Increment(ref _dropsByReason[(int)reason]);
        if (tier >= 0)
        {
            Interlocked.Increment(ref _tierDrops[tier]);
        }
        _drops.Add(1, _storeTag, new("reason", reason.ToString()), new("tier", tier >= 0 ? _tierNames[tier] : "none"));
    }

    public void PutTook(TimeSpan elapsed)
    {
        Interlocked.Increment(ref _putCount);
        Interlocked.Add(ref _putTicks, elapsed.Ticks);
        _putDuration.Record(elapsed.TotalMilliseconds, _storeTag);
    }

    public void GetTook(TimeSpan elapsed, KvGetStatus status)
    {
        Interlocked.Increment(ref _getCount);
        Interlocked.Add(ref _getTicks, elapsed.Ticks);
        _getDuration.Record(elapsed.TotalMilliseconds, _storeTag, new("status", status.ToString()));
    }

    public KvStoreSnapshot Snapshot(IReadOnlyList<IKvTier> tiers, int leasedBlocks)
    {
        var tierSnapshots = new List<KvTierSnapshot>(tiers.Count);
        for (int i = 0; i < tiers.Count; i++)
        {
            IKvTier tier = tiers[i];
            tierSnapshots.Add(new KvTierSnapshot(
                tier.Name, tier.IsAvailable, tier.BytesUsed, tier.BlocksUsed, tier.Budget.MaxBytes, tier.Budget.MaxBlocks,
                Interlocked.Read(ref _tierHits[i]), Interlocked.Read(ref _tierPuts[i]), Interlocked.Read(ref _tierDemotedOut[i]),
                Interlocked.Read(ref _tierPromotions[i]), Interlocked.Read(ref _tierDrops[i]), tier.Stats));
        }
        var drops = Enum.GetValues<KvDropReason>().ToDictionary(r => r, r => Interlocked.Read(ref _dropsByReason[(int)r]));
        long puts = Interlocked.Read(ref _putCount);
        long gets = Interlocked.Read(ref _getCount);
        return new KvStoreSnapshot(
            tierSnapshots, puts, gets, Interlocked.Read(ref _missCount), drops, leasedBlocks,
            puts == 0 ? 0 : TimeSpan.FromTicks(Interlocked.Read(ref _putTicks)).TotalMilliseconds / puts,
            gets == 0 ? 0 : TimeSpan.FromTicks(Interlocked.Read(ref _getTicks)).TotalMilliseconds / gets);
    }

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    private KeyValuePair<string, object?> Tier(int tier) => new("tier", _tierNames[tier]);

    private IEnumerable<Measurement<long>> Observe(IReadOnlyList<IKvTier> tiers, Func<IKvTier, long> value)
    {
        for (int i = 0; i < tiers.Count; i++)
        {
            yield return new Measurement<long>(value(tiers[i]), _storeTag, Tier(i));
        }
    }
}
