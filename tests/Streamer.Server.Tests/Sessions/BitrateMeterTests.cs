using Streamer.Server.Sessions;

namespace Streamer.Server.Tests.Sessions;

public sealed class BitrateMeterTests
{
    private sealed class ManualTime : TimeProvider
    {
        private long _ticks;

        public override long GetTimestamp() => _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public void Advance(double seconds) => _ticks += TimeSpan.FromSeconds(seconds).Ticks;
    }

    [Fact]
    public void Rate_is_measured_over_the_last_window_whatever_the_readers_pace()
    {
        var time = new ManualTime();
        long bytes = 0;
        var meter = new BitrateMeter(() => bytes, time);

        Assert.Equal(0, meter.Kbps);
        // 125 000 bytes a second is 1000 kbit/s, read every half second.
        for (var i = 0; i < 8; i++)
        {
            time.Advance(0.5);
            bytes += 62_500;
            Assert.Equal(1000, meter.Kbps);
        }
        // The source slows to a quarter: within about one window the old rate is gone.
        var rates = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            time.Advance(0.5);
            bytes += 15_625;
            rates.Add(meter.Kbps);
        }
        Assert.All(rates, r => Assert.InRange(r, 250, 1000));
        Assert.Equal(250, rates[^1]);
    }

    [Fact]
    public void A_rare_reader_gets_the_rate_since_its_last_read_and_a_stalled_source_reads_zero()
    {
        var time = new ManualTime();
        long bytes = 1_000_000;
        var meter = new BitrateMeter(() => bytes, time);
        _ = meter.Kbps;

        time.Advance(10);
        bytes += 10 * 50_000;
        Assert.Equal(400, meter.Kbps);

        time.Advance(3);
        Assert.Equal(0, meter.Kbps);
    }

    [Fact]
    public void Reads_closer_than_the_shortest_interval_keep_the_last_rate()
    {
        var time = new ManualTime();
        long bytes = 0;
        var meter = new BitrateMeter(() => bytes, time);
        _ = meter.Kbps;

        // A burst read 50 ms after the first sample would extrapolate to 16 Mbit/s; it is not measured yet.
        time.Advance(0.05);
        bytes = 100_000;
        Assert.Equal(0, meter.Kbps);

        time.Advance(0.95);
        Assert.Equal(800, meter.Kbps);
    }
}
