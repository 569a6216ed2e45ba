using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Streamer.Server.Sessions;

/// <summary>Every live session, by id. Lookups are scoped to the owner asking.</summary>
public sealed class SessionRegistry(IOptions<SessionOptions> options, ILogger<SessionRegistry> logger) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);
    private readonly Lock _admission = new();

    public int Count => _sessions.Count;

    /// <summary>Raised after a session is added, before it starts; features attach their stages here.</summary>
    public event Action<Session>? Added;

    /// <summary>A new unguessable session id (URL-safe).</summary>
    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    /// <summary>Checks the limits for <paramref name="owner"/>; null when a session may be added.</summary>
    public string? CheckAdmission(string owner)
    {
        var limits = options.Value;
        if (_sessions.Count >= limits.MaxSessions)
            return $"The server holds its maximum of {limits.MaxSessions} sessions (Sessions:MaxSessions).";
        var owned = _sessions.Values.Count(s => s.Owner == owner);
        if (owned >= limits.MaxSessionsPerToken)
            return $"This token holds its maximum of {limits.MaxSessionsPerToken} sessions (Sessions:MaxSessionsPerToken).";
        return null;
    }

    public bool TryAdd(Session session, out string? error)
    {
        lock (_admission)
        {
            error = CheckAdmission(session.Owner);
            if (error is not null) return false;
            _sessions[session.Id] = session;
        }
        logger.LogInformation("Session {Id} ({Kind}) created", session.Id, session.Kind);
        Added?.Invoke(session);
        return true;
    }

    /// <summary>The session with <paramref name="id"/> if <paramref name="owner"/> owns it.</summary>
    public Session? Find(string id, string owner) =>
        _sessions.TryGetValue(id, out var session) && session.Owner == owner ? session : null;

    public IReadOnlyList<Session> ListFor(string owner) =>
        _sessions.Values.Where(s => s.Owner == owner).OrderBy(s => s.CreatedAt).ToList();

    public IReadOnlyList<Session> All => _sessions.Values.ToList();

    /// <summary>Removes and ends the session; false when <paramref name="owner"/> has no such session.</summary>
    public async Task<bool> RemoveAsync(string id, string owner)
    {
        if (!_sessions.TryGetValue(id, out var session) || session.Owner != owner) return false;
        if (!_sessions.TryRemove(id, out _)) return false;
        await session.DisposeAsync().ConfigureAwait(false);
        logger.LogInformation("Session {Id} ended", id);
        return true;
    }

    /// <summary>Removes a session that ended by itself (peer left, fatal error).</summary>
    public async Task ForgetAsync(Session session)
    {
        if (_sessions.TryRemove(new KeyValuePair<string, Session>(session.Id, session)))
        {
            await session.DisposeAsync().ConfigureAwait(false);
            logger.LogInformation("Session {Id} closed ({State}{Error})", session.Id, session.State,
                session.Error is null ? "" : ": " + session.Error);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var session in _sessions.Values) await session.DisposeAsync().ConfigureAwait(false);
        _sessions.Clear();
    }
}
