using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Streamer.Server.Ingest;
using Streamer.Server.Models;
using Streamer.Server.Pipeline;
using Streamer.Server.Rtsp;
using Streamer.Server.Sessions;

namespace Streamer.Server.Chat;

/// <summary>
/// Gives every ingest session its vision-encoder and memory stages when it is added, run under
/// the supervisor until the session ends, then disposed with the session's KV blocks.
/// </summary>
public sealed class SessionMemories : IHostedService
{
    private readonly ConcurrentDictionary<string, SessionMemory> _memories = new(StringComparer.Ordinal);
    private readonly SessionRegistry _sessions;
    private readonly PipelineSupervisor _supervisor;
    private readonly ThinkerHost _model;
    private readonly IOptions<MemoryOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SessionMemories> _logger;

    public SessionMemories(SessionRegistry sessions, PipelineSupervisor supervisor, ThinkerHost model,
        IOptions<MemoryOptions> options, TimeProvider time, ILogger<SessionMemories> logger)
    {
        _sessions = sessions;
        _supervisor = supervisor;
        _model = model;
        _options = options;
        _time = time;
        _logger = logger;
        // Subscribed at construction so no session added during start-up is missed.
        sessions.Added += Attach;
    }

    /// <summary>The memory of session <paramref name="id"/> while it runs.</summary>
    public SessionMemory? Find(string id) => _memories.GetValueOrDefault(id);

    /// <summary>What the memory of session <paramref name="id"/> holds, for the stats API and session events; null while it has none.</summary>
    public MemoryStatsDto? Describe(string id) => Find(id)?.Describe();

    private void Attach(Session session)
    {
        if (session is not IngestSession ingest) return;
        var fps = session is RtspSession rtsp ? rtsp.SampleFps : _options.Value.SampleFps;
        var memory = new SessionMemory(ingest, fps, _options.Value, _time);
        _memories[session.Id] = memory;
        // A failed stage stays findable (its error is reported) until the session ends.
        session.Ended.Register(() => _memories.TryRemove(new KeyValuePair<string, SessionMemory>(session.Id, memory)));
        var encoder = _supervisor.Start($"vision-encoder {session.Id}", memory.RunEncoderAsync, session.Ended);
        _ = _supervisor.Start($"memory {session.Id}", async ct =>
        {
            try
            {
                await memory.RunAsync(_model.Loaded, ct).ConfigureAwait(false);
            }
            finally
            {
                // The encoder stops with the memory stage; its failure was logged by the supervisor and reported through the memory stage.
                await encoder.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                memory.Dispose();
                _logger.LogInformation("Memory of session {Id} released: {Blocks} blocks from {Frames} frames, {Dropped} frames dropped",
                    session.Id, memory.Blocks, memory.FramesStored, memory.FramesDropped);
            }
        }, session.Ended);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _sessions.Added -= Attach;
        return Task.CompletedTask;
    }
}
