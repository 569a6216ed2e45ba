namespace Streamer.Media.Interceptors;

/// <summary>Receive-side NACK settings.</summary>
public sealed record NackGeneratorOptions
{
    /// <summary>Packets remembered per stream (a power of two); older gaps are given up.</summary>
    public int LogSize { get; init; } = 512;
    /// <summary>A gap older than this is no longer worth a retransmission.</summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan Interval { get; init; } = TimeSpan.FromMilliseconds(100);
    /// <summary>NACKs sent for one sequence number before giving up on it.</summary>
    public int MaxRetries { get; init; } = 10;
    /// <summary>Newest packets not yet considered missing, to absorb reordering.</summary>
    public int SkipLastN { get; init; }
}
