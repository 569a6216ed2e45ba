namespace Streamer.Server.Sessions;

/// <summary>
/// One media source with everything that follows it. A session belongs to the owner
/// (token) that created it; no other owner can see it.
/// </summary>
public abstract class Session : IAsyncDisposable
{
    private readonly CancellationTokenSource _ended = new();
    private readonly BitrateMeter _bitrate;
    private int _disposed;

    protected Session(string id, string owner, SessionKind kind, TimeProvider time)
    {
        Id = id;
        Owner = owner;
        Kind = kind;
        CreatedAt = time.GetUtcNow();
        Video = new VideoStats(time);
        _bitrate = new BitrateMeter(() => VideoBytesReceived, time);
    }

    public string Id { get; }
    public string Owner { get; }
    public SessionKind Kind { get; }
    public DateTimeOffset CreatedAt { get; }
    public SessionState State { get; private set; } = SessionState.Connecting;
    public string? Error { get; private set; }
    public VideoStats Video { get; }

    /// <summary>Bytes of video received from the source so far (RTP packets of the video track).</summary>
    public virtual long VideoBytesReceived => 0;

    /// <summary>The video's received bitrate over the last seconds, in kbit/s.</summary>
    public double VideoKbps => _bitrate.Kbps;

    /// <summary>The streaming memory policy the session's video memory uses; null for a session without one.</summary>
    public string? MemoryPolicy { get; init; }

    /// <summary>Cancelled when the session ends, for whatever reason.</summary>
    public CancellationToken Ended => _ended.Token;

    /// <summary>The external source feeding the session, for sessions that pull one (RTSP).</summary>
    public virtual SourceDto? DescribeSource() => null;

    /// <summary>Packets, loss and repair as received from the source, for the stats API; null where the source keeps none.</summary>
    public virtual ReceiveStatsDto? DescribeReceive() => null;

    /// <summary>The session's pipeline stages in flow order, for the stats API.</summary>
    public virtual IReadOnlyList<Pipeline.StageMetrics> Stages => [];

    /// <summary>Back to connecting after a live period (the camera dropped and is being redialled).</summary>
    public void MarkReconnecting()
    {
        if (State == SessionState.Live) State = SessionState.Connecting;
    }

    public void MarkLive()
    {
        if (State is SessionState.Connecting) State = SessionState.Live;
    }

    public void Fail(string error)
    {
        if (State is SessionState.Ended or SessionState.Failed) return;
        Error = error;
        State = SessionState.Failed;
        _ended.Cancel();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        if (State is not SessionState.Failed) State = SessionState.Ended;
        await _ended.CancelAsync().ConfigureAwait(false);
        await DisposeCoreAsync().ConfigureAwait(false);
        _ended.Dispose();
        GC.SuppressFinalize(this);
    }

    protected abstract ValueTask DisposeCoreAsync();
}
