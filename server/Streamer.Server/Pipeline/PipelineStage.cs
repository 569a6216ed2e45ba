using System.Diagnostics;
using System.Threading.Channels;

namespace Streamer.Server.Pipeline;

/// <summary>
/// One stage: reads its input channel, writes its output channel. When the input completes,
/// the output completes; when the stage fails, the output completes with the exception so
/// the failure travels downstream instead of being only logged.
/// </summary>
public abstract class PipelineStage<TIn, TOut>(string name)
{
    public string Name { get; } = name;

    public StageMetrics Metrics { get; } = new(name);

    protected abstract ValueTask ProcessAsync(TIn item, ChannelWriter<TOut> output, CancellationToken cancellationToken);

    /// <summary>Called once after the input is drained, before the output completes.</summary>
    protected virtual ValueTask FlushAsync(ChannelWriter<TOut> output, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public async Task RunAsync(ChannelReader<TIn> input, ChannelWriter<TOut> output, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var item in input.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                Metrics.RecordIn();
                var started = Stopwatch.GetTimestamp();
                await ProcessAsync(item, new CountingWriter<TOut>(output, Metrics), cancellationToken).ConfigureAwait(false);
                Metrics.RecordLatency(Stopwatch.GetElapsedTime(started));
            }
            await FlushAsync(new CountingWriter<TOut>(output, Metrics), cancellationToken).ConfigureAwait(false);
            output.TryComplete();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            output.TryComplete();
        }
        catch (Exception ex)
        {
            output.TryComplete(ex);
            throw;
        }
        finally
        {
            Metrics.DetachQueue();
            DrainAndDispose(input);
        }
    }

    // Items left behind after cancellation still own buffers.
    private static void DrainAndDispose(ChannelReader<TIn> input)
    {
        while (input.TryRead(out var left)) (left as IDisposable)?.Dispose();
    }

    private sealed class CountingWriter<T>(ChannelWriter<T> inner, StageMetrics metrics) : ChannelWriter<T>
    {
        public override bool TryComplete(Exception? error = null) => inner.TryComplete(error);

        public override bool TryWrite(T item)
        {
            if (!inner.TryWrite(item)) return false;
            metrics.RecordOut();
            return true;
        }

        public override ValueTask<bool> WaitToWriteAsync(CancellationToken cancellationToken = default) =>
            inner.WaitToWriteAsync(cancellationToken);

        public override async ValueTask WriteAsync(T item, CancellationToken cancellationToken = default)
        {
            await inner.WriteAsync(item, cancellationToken).ConfigureAwait(false);
            metrics.RecordOut();
        }
    }
}
