using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Streamer.Server.Sessions;
using Streamer.Server.Voice;

namespace Streamer.Server.Chat;

/// <summary>
/// Every <see cref="ChatOptions.EventIntervalSeconds"/> sends each session's group its stats,
/// and "streamStarted" / "streamStopped" when a session goes live or ends.
/// </summary>
public sealed class SessionEventBroadcaster(
    IHubContext<ChatHub, IChatClient> hub,
    SessionRegistry sessions,
    SessionMemories memories,
    VoiceSessions voices,
    IOptions<ChatOptions> options,
    TimeProvider time) : BackgroundService
{
    private readonly Dictionary<string, bool> _live = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.EventIntervalSeconds), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false)) await TickAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One round of events; public so a test can drive it without waiting.</summary>
    public async Task TickAsync()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var session in sessions.All)
        {
            seen.Add(session.Id);
            var group = hub.Clients.Group(ChatHub.GroupName(session.Id));
            var live = session.State == SessionState.Live;
            var ended = session.State is SessionState.Ended or SessionState.Failed;
            _live.TryGetValue(session.Id, out var wasLive);
            if (live && !wasLive) await group.SessionEvent(Describe(session, SessionEvent.StreamStarted)).ConfigureAwait(false);
            if (ended && wasLive) await group.SessionEvent(Describe(session, SessionEvent.StreamStopped)).ConfigureAwait(false);
            _live[session.Id] = live;
            await group.SessionEvent(Describe(session, SessionEvent.Stats)).ConfigureAwait(false);
        }
        foreach (var gone in _live.Keys.Where(id => !seen.Contains(id)).ToList())
        {
            await hub.Clients.Group(ChatHub.GroupName(gone))
                .SessionEvent(new SessionEvent { Type = SessionEvent.StreamStopped, SessionId = gone, State = "ended" }).ConfigureAwait(false);
            _live.Remove(gone);
        }
    }

    public SessionEvent Describe(Session session, string type)
    {
        var memory = memories.Describe(session.Id);
        return new SessionEvent
        {
            Type = type,
            SessionId = session.Id,
            State = session.State.ToString().ToLowerInvariant(),
            Fps = session.Video.Fps,
            FramesDecoded = session.Video.FramesDecoded,
            BitrateKbps = session.VideoKbps,
            FramesInMemory = memory?.FramesInMemory ?? 0,
            Blocks = memory?.Blocks ?? 0,
            FramesDropped = memory?.FramesDropped ?? 0,
            BlocksDropped = memory?.BlocksDropped ?? 0,
            MemoryError = memory?.Error,
            Tiers = memory?.Tiers.Select(t => new TierUsage { Name = t.Tier, Bytes = t.Bytes, Blocks = (int)t.Blocks, MaxBytes = t.MaxBytes }).ToArray() ?? [],
            Voice = voices.Find(session.Id) is { } voice ? VoiceStatsDto.From(voice.Stats) : null,
        };
    }
}
