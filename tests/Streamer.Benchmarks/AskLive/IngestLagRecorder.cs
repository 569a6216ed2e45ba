using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Streamer.Server.Chat;
using Streamer.Server.Pipeline;

namespace Streamer.Benchmarks.AskLive;

/// <summary>
/// Listens to the server's <see cref="SessionMemory.IngestLag"/> histogram (one measurement per
/// block stored, any session) and hands out what arrived since the last <see cref="Take"/>.
/// </summary>
public sealed class IngestLagRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private ConcurrentQueue<double> _lags = new();

    public IngestLagRecorder()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            // By name: the instrument is published while SessionMemory's static field is still being set.
            if (instrument.Meter.Name == StageMetrics.Meter.Name && instrument.Name == SessionMemory.IngestLagName)
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<double>((_, value, _, _) => _lags.Enqueue(value));
        _listener.Start();
    }

    /// <summary>The lags (ms) recorded since the previous call.</summary>
    public IReadOnlyList<double> Take() => [.. Interlocked.Exchange(ref _lags, new ConcurrentQueue<double>())];

    public void Dispose() => _listener.Dispose();
}
