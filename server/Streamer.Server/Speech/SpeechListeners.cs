using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Streamer.Server.Sessions;

namespace Streamer.Server.Speech;

/// <summary>
/// The hub's <c>Listen</c> streams of every session: spoken answers as 16-bit PCM chunks for
/// clients without a WebRTC audio track. A session with listeners is spoken to even when it has no
/// audio track (RTSP). Each listener has its own bounded queue (Speech:ListenerQueue) that drops
/// its oldest chunk when full, counted in <c>streamer_speech_listener_dropped_chunks</c> and in the
/// next chunk's <see cref="SpeechAudioChunk.Dropped"/>.
/// </summary>
public sealed class SpeechListeners : IDisposable
{
    /// <summary>Chunks carry the synthesizer's 24 kHz audio unresampled.</summary>
    public const int SampleRate = Streamer.Models.Qwen25Omni.Token2WavAudioChunk.SampleRate;

    private readonly ConcurrentDictionary<string, SessionListeners> _sessions = new(StringComparer.Ordinal);
    private readonly IOptions<SpeechOptions> _options;
    private readonly ILogger<SpeechListeners> _logger;
    private readonly Meter _meter = new("Streamer.Speech");
    private readonly Counter<long> _dropped;

    public SpeechListeners(IOptions<SpeechOptions> options, ILogger<SpeechListeners> logger)
    {
        _options = options;
        _logger = logger;
        _dropped = _meter.CreateCounter<long>("streamer_speech_listener_dropped_chunks", description: "Spoken-answer chunks dropped by listeners that read too slowly (Speech:ListenerQueue)");
    }

    /// <summary>The session's listeners, or null when none ever listened.</summary>
    public SessionListeners? Find(string sessionId) => _sessions.GetValueOrDefault(sessionId);

    /// <summary>Streams the session's spoken answers until the caller stops or the session ends.</summary>
    /// <exception cref="HubException">The session already has Speech:MaxListenersPerSession listeners.</exception>
    public async IAsyncEnumerable<SpeechAudioChunk> ListenAsync(Session session, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var limits = _options.Value;
        var group = For(session);
        var listener = group.TryAdd(limits.MaxListenersPerSession, limits.ListenerQueue)
            ?? throw new HubException($"Session '{session.Id}' already has {limits.MaxListenersPerSession} listener(s) (Speech:MaxListenersPerSession).");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, session.Ended);
        try
        {
            await foreach (var chunk in listener.ReadAllAsync(group.Gate, stop.Token).ConfigureAwait(false))
                yield return chunk;
        }
        finally
        {
            group.Remove(listener);
            if (listener.Dropped > 0)
                _logger.LogInformation("A listener of session {Id} left having dropped {Dropped} chunks (Speech:ListenerQueue {Queue})", session.Id, listener.Dropped, limits.ListenerQueue);
        }
    }

    /// <summary>Counts chunks dropped by slow listeners (each listener also sees its count in the chunk after the gap).</summary>
    public void ReportDropped(string sessionId, int listeners)
    {
        _dropped.Add(listeners, new KeyValuePair<string, object?>("session", sessionId));
        _logger.LogDebug("{Listeners} listener(s) of session {Id} read too slowly and dropped a chunk (Speech:ListenerQueue {Queue})",
            listeners, sessionId, _options.Value.ListenerQueue);
    }

    // A session's listeners live as long as the session, so an answer in progress reaches a listener that joins late.
    private SessionListeners For(Session session)
    {
        lock (_sessions)
        {
            if (_sessions.TryGetValue(session.Id, out var group)) return group;
            group = new SessionListeners(session.Id);
            _sessions[session.Id] = group;
            session.Ended.Register(() => _sessions.TryRemove(new KeyValuePair<string, SessionListeners>(session.Id, group)));
            return group;
        }
    }

    /// <summary>Drops the queued audio of the session's listeners (interrupt after the synthesis ended).</summary>
    public void Interrupt(string sessionId) => Find(sessionId)?.Interrupt();

    public void Dispose() => _meter.Dispose();
}
