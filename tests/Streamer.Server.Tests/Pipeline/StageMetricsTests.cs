using Streamer.Server.Pipeline;

namespace Streamer.Server.Tests.Pipeline;

public sealed class StageMetricsTests
{
    [Fact]
    public void Latency_totals_give_the_mean_over_any_interval()
    {
        var metrics = new StageMetrics("latency-totals-test");
        metrics.RecordLatency(TimeSpan.FromMilliseconds(4));
        metrics.RecordLatency(TimeSpan.FromMilliseconds(6));
        var count = metrics.LatencyCount;
        var total = metrics.LatencyTotalMs;

        metrics.RecordLatency(TimeSpan.FromMilliseconds(30));
        metrics.RecordLatency(TimeSpan.FromMilliseconds(10));

        Assert.Equal(4, metrics.LatencyCount);
        Assert.Equal(50, metrics.LatencyTotalMs, precision: 6);
        Assert.Equal(10, metrics.LastLatencyMs, precision: 6);
        // The second interval alone: (30 + 10) / 2.
        Assert.Equal(20, (metrics.LatencyTotalMs - total) / (metrics.LatencyCount - count), precision: 6);
    }

    [Fact]
    public void Queue_depth_follows_the_attached_channel_until_detached()
    {
        var metrics = new StageMetrics("queue-depth-test");
        Assert.Equal(0, metrics.QueueDepth);
        var channel = StageChannel.Create<int>(ChannelSpec.LatestWins("numbers", 8), metrics);

        Assert.True(channel.Writer.TryWrite(1));
        Assert.True(channel.Writer.TryWrite(2));
        Assert.True(channel.Writer.TryWrite(3));
        Assert.Equal(3, metrics.QueueDepth);
        Assert.True(channel.Reader.TryRead(out _));
        Assert.Equal(2, metrics.QueueDepth);

        metrics.DetachQueue();
        Assert.Equal(0, metrics.QueueDepth);
    }
}
