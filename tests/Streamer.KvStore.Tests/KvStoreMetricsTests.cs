using System.Diagnostics.Metrics;

namespace Streamer.KvStore.Tests;

[Trait("Category", "Memory")]
public sealed class KvStoreMetricsTests
{
    [Fact]
    public void Meter_publishes_hits_demotions_drops_and_tier_usage_with_tags()
    {
        var counters = new List<(string Name, long Value, Dictionary<string, object?> Tags)>();
        var histograms = new List<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Streamer.KvStore")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var tagMap = new Dictionary<string, object?>();
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                tagMap[tag.Key] = tag.Value;
            }
            if (tagMap.TryGetValue("store", out object? store) && "metrics-test".Equals(store))
            {
                lock (counters)
                {
                    counters.Add((instrument.Name, value, tagMap));
                }
            }
        });
        listener.SetMeasurementEventCallback<double>((instrument, _, tags, _) =>
        {
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                if (tag.Key == "store" && "metrics-test".Equals(tag.Value))
                {
                    lock (histograms)
                    {
                        histograms.Add(instrument.Name);
                    }
                }
            }
        });
        listener.Start();
        using var store = new TieredKvStore(
            [
                new HostMemoryTier(new HostMemoryTierOptions { Name = "host", MaxBlocks = 1, MaxBytes = 1 << 20 }),
                new HostMemoryTier(new HostMemoryTierOptions { Name = "cold", MaxBlocks = 1, MaxBytes = 1 << 20 }),
            ],
            new KvStoreOptions { Name = "metrics-test", PromoteOnGet = false });

        store.Put(TestBlocks.Create(1));
        store.Put(TestBlocks.Create(2)); // 1 demoted host -> cold
        store.Put(TestBlocks.Create(3)); // 2 demoted, 1 dropped from the coldest tier
        store.Get(TestBlocks.Id(2));
        store.Get(TestBlocks.Id(99));
        listener.RecordObservableInstruments();

        Assert.Contains(counters, c => c.Name == "streamer.kvstore.hits" && "cold".Equals(c.Tags["tier"]));
        Assert.Contains(counters, c => c.Name == "streamer.kvstore.misses");
        Assert.Equal(2, counters.Count(c => c.Name == "streamer.kvstore.demotions" && "host".Equals(c.Tags["tier"]) && "cold".Equals(c.Tags["to"])));
        Assert.Contains(counters, c => c.Name == "streamer.kvstore.drops" && "EvictedFromColdest".Equals(c.Tags["reason"]));
        Assert.Contains(counters, c => c.Name == "streamer.kvstore.blocks" && "host".Equals(c.Tags["tier"]) && c.Value == 1);
        Assert.Contains(counters, c => c.Name == "streamer.kvstore.bytes" && "cold".Equals(c.Tags["tier"]) && c.Value > 0);
        Assert.Equal(3, histograms.Count(h => h == "streamer.kvstore.put.duration"));
        Assert.Equal(2, histograms.Count(h => h == "streamer.kvstore.get.duration"));

        KvStoreSnapshot snapshot = store.Snapshot();
        Assert.Equal(3, snapshot.Puts);
        Assert.Equal(2, snapshot.Gets);
        Assert.Equal(1, snapshot.Misses);
        Assert.Equal(1, snapshot.Tiers[1].Hits);
        Assert.Equal(2, snapshot.Tiers[0].DemotedOut);
        Assert.Equal(1, snapshot.Drops[KvDropReason.EvictedFromColdest]);
    }
}
