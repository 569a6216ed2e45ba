using System.Collections.Concurrent;

namespace Streamer.Server.Pipeline;

/// <summary>
/// Owns every long-running pipeline task. Nothing is fire-and-forget: each task started here
/// is awaited on shutdown, and its failure is logged and handed back to whoever started it.
/// </summary>
public sealed class PipelineSupervisor(ILogger<PipelineSupervisor> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<long, (string Name, Task Task, CancellationTokenSource Stop)> _running = new();
    private readonly CancellationTokenSource _shutdown = new();
    private long _nextId;
    private int _disposed;

    public int RunningCount => _running.Count;

    /// <summary>Starts <paramref name="work"/> under supervision; the returned task completes with it.</summary>
    public Task Start(string name, Func<CancellationToken, Task> work, CancellationToken cancellationToken = default)
    {
        var id = Interlocked.Increment(ref _nextId);
        var stop = CancellationTokenSource.CreateLinkedTokenSource(_shutdown.Token, cancellationToken);
        var task = Task.Run(async () =>
        {
            try
            {
                await work(stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Pipeline task {Name} failed", name);
                throw;
            }
            finally
            {
                _running.TryRemove(id, out _);
                stop.Dispose();
            }
        }, CancellationToken.None);
        _running[id] = (name, task, stop);
        return task;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // The host may dispose services before stopping them when start-up failed half way.
        if (Volatile.Read(ref _disposed) == 1) return;
        await _shutdown.CancelAsync().ConfigureAwait(false);
        var tasks = _running.Values.Select(r => r.Task).ToArray();
        try
        {
            await Task.WhenAll(tasks).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning("{Count} pipeline task(s) ended with errors during shutdown", tasks.Count(t => t.IsFaulted));
        }
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    public override void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _shutdown.Cancel();
        _shutdown.Dispose();
        base.Dispose();
    }
}
