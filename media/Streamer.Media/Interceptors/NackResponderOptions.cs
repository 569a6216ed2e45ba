namespace Streamer.Media.Interceptors;

public sealed record NackResponderOptions
{
    /// <summary>Sent packets kept per stream for retransmission (a power of two up to 32768).</summary>
    public int HistorySize { get; init; } = 1024;
}
