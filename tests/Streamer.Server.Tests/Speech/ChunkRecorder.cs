using System.Diagnostics;
using Microsoft.AspNetCore.SignalR.Client;
using Streamer.Server.Speech;

namespace Streamer.Server.Tests.Speech;

/// <summary>Reads a <c>Listen</c> stream on its own task and keeps every chunk with the time it arrived.</summary>
public sealed class ChunkRecorder : IAsyncDisposable
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(SpeechAudioChunk Chunk, TimeSpan At)> _received = [];
    private readonly Task _reading;

    public ChunkRecorder(HubConnection connection, string sessionId)
    {
        _reading = Task.Run(async () =>
        {
            try
            {
                await foreach (var chunk in connection.StreamAsync<SpeechAudioChunk>("Listen", sessionId, _stop.Token))
                {
                    lock (_received) _received.Add((chunk, _clock.Elapsed));
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
            }
            catch (Exception ex)
            {
                Failure = ex;
            }
        });
    }

    public TimeSpan Now => _clock.Elapsed;

    /// <summary>Completes when the stream has ended (the server completed it, or it failed: see <see cref="Failure"/>).</summary>
    public Task Completion => _reading;

    public Exception? Failure { get; private set; }

    public IReadOnlyList<(SpeechAudioChunk Chunk, TimeSpan At)> Received
    {
        get
        {
            lock (_received) return [.. _received];
        }
    }

    public async Task<SpeechAudioChunk> WaitForAsync(Func<SpeechAudioChunk, bool> match, TimeSpan timeout)
    {
        SpeechAudioChunk? found = null;
        await Infrastructure.Polling.WaitUntilAsync(() =>
        {
            if (Failure is { } failure) throw failure;
            found = Received.Select(r => r.Chunk).FirstOrDefault(match);
            return Task.FromResult(found is not null);
        }, timeout, "a listened chunk");
        return found!;
    }

    /// <summary>The chunks of answer <paramref name="speechId"/> once its last one has arrived.</summary>
    public async Task<List<SpeechAudioChunk>> UntilLastAsync(long speechId, TimeSpan timeout)
    {
        await WaitForAsync(c => c.SpeechId == speechId && c.IsLast, timeout);
        return [.. Received.Select(r => r.Chunk).Where(c => c.SpeechId == speechId)];
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _reading;
        _stop.Dispose();
    }
}
