namespace Streamer.Media.Interceptors;

/// <summary>Counters of a <see cref="KeyframeRequester"/>.</summary>
public sealed class KeyframeRequesterStats
{
    private long requests;
    private long pliSent;
    private long firSent;
    private long rateLimited;

    /// <summary>Calls to RequestKeyframe for a stream that supports one.</summary>
    public long Requests => Interlocked.Read(ref requests);
    public long PliSent => Interlocked.Read(ref pliSent);
    public long FirSent => Interlocked.Read(ref firSent);
    public long RateLimited => Interlocked.Read(ref rateLimited);

    internal void AddRequest() => Interlocked.Increment(ref requests);

    internal void AddPli() => Interlocked.Increment(ref pliSent);

    internal void AddFir() => Interlocked.Increment(ref firSent);

    internal void AddRateLimited() => Interlocked.Increment(ref rateLimited);
}
