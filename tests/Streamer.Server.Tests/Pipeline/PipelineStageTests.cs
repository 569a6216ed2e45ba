using System.Threading.Channels;
using Streamer.Server.Pipeline;

namespace Streamer.Server.Tests.Pipeline;

public sealed class PipelineStageTests
{
    private sealed class Frame(int number) : IDisposable
    {
        public int Number { get; } = number;
        public bool Disposed { get; private set; }
        public void Dispose() => Disposed = true;
    }

    private sealed class Doubler() : PipelineStage<int, int>("doubler")
    {
        protected override ValueTask ProcessAsync(int item, ChannelWriter<int> output, CancellationToken cancellationToken) =>
            output.WriteAsync(item * 2, cancellationToken);
    }

    private sealed class FailsOn(int bad) : PipelineStage<int, int>("fails")
    {
        protected override ValueTask ProcessAsync(int item, ChannelWriter<int> output, CancellationToken cancellationToken) =>
            item == bad ? throw new InvalidOperationException($"cannot process {item}") : output.WriteAsync(item, cancellationToken);
    }

    [Fact]
    public void Drop_oldest_channel_counts_and_disposes_what_it_drops()
    {
        var metrics = new StageMetrics("drop-test");
        var channel = StageChannel.Create<Frame>(ChannelSpec.LatestWins("frames", 2), metrics);
        var frames = Enumerable.Range(0, 5).Select(i => new Frame(i)).ToList();

        foreach (var frame in frames) Assert.True(channel.Writer.TryWrite(frame));

        Assert.Equal(3, metrics.Dropped);
        Assert.All(frames.Take(3), f => Assert.True(f.Disposed));
        Assert.All(frames.Skip(3), f => Assert.False(f.Disposed));
        Assert.True(channel.Reader.TryRead(out var first));
        Assert.Equal(3, first!.Number);
    }

    [Fact]
    public async Task Lossless_channel_makes_the_writer_wait_instead_of_dropping()
    {
        var metrics = new StageMetrics("wait-test");
        var channel = StageChannel.Create<int>(ChannelSpec.Lossless("tokens", 1), metrics);

        Assert.True(channel.Writer.TryWrite(1));
        Assert.False(channel.Writer.TryWrite(2));
        var pending = channel.Writer.WriteAsync(2).AsTask();
        Assert.False(pending.IsCompleted);

        Assert.True(channel.Reader.TryRead(out var one));
        await pending.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(1, one);
        Assert.Equal(0, metrics.Dropped);
    }

    [Fact]
    public async Task Stage_processes_every_item_completes_its_output_and_counts()
    {
        var stage = new Doubler();
        var input = StageChannel.Create<int>(ChannelSpec.Lossless("in", 8), stage.Metrics);
        var output = Channel.CreateUnbounded<int>();
        for (var i = 1; i <= 5; i++) await input.Writer.WriteAsync(i);
        input.Writer.Complete();

        await stage.RunAsync(input.Reader, output.Writer, CancellationToken.None);

        var results = new List<int>();
        await foreach (var x in output.Reader.ReadAllAsync()) results.Add(x);
        Assert.Equal([2, 4, 6, 8, 10], results);
        Assert.Equal(5, stage.Metrics.In);
        Assert.Equal(5, stage.Metrics.Out);
    }

    [Fact]
    public async Task Stage_failure_travels_downstream_as_completion_error()
    {
        var first = new FailsOn(3);
        var second = new Doubler();
        var a = StageChannel.Create<int>(ChannelSpec.Lossless("a", 8), first.Metrics);
        var b = StageChannel.Create<int>(ChannelSpec.Lossless("b", 8), second.Metrics);
        var c = Channel.CreateUnbounded<int>();
        for (var i = 1; i <= 5; i++) await a.Writer.WriteAsync(i);
        a.Writer.Complete();

        var firstRun = first.RunAsync(a.Reader, b.Writer, CancellationToken.None);
        var secondRun = second.RunAsync(b.Reader, c.Writer, CancellationToken.None);

        await Assert.ThrowsAsync<InvalidOperationException>(() => firstRun);
        var downstream = await Assert.ThrowsAsync<InvalidOperationException>(() => secondRun);
        Assert.Contains("cannot process 3", downstream.Message);
        // The items processed before the failure still arrive, then the error ends the stream.
        var delivered = new List<int>();
        var ended = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (var x in c.Reader.ReadAllAsync()) delivered.Add(x);
        });
        Assert.Equal([2, 4], delivered);
        Assert.Contains("cannot process 3", ended.Message);
    }

    [Fact]
    public async Task Cancelled_stage_disposes_items_left_in_its_input()
    {
        var stage = new PassThrough();
        var input = StageChannel.Create<Frame>(ChannelSpec.LatestWins("in", 4), stage.Metrics);
        var frames = Enumerable.Range(0, 3).Select(i => new Frame(i)).ToList();
        foreach (var f in frames) input.Writer.TryWrite(f);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await stage.RunAsync(input.Reader, Channel.CreateUnbounded<Frame>().Writer, cts.Token);

        Assert.All(frames, f => Assert.True(f.Disposed));
    }

    private sealed class PassThrough() : PipelineStage<Frame, Frame>("pass")
    {
        protected override ValueTask ProcessAsync(Frame item, ChannelWriter<Frame> output, CancellationToken cancellationToken) =>
            output.WriteAsync(item, cancellationToken);
    }
}
