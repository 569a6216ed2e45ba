namespace Streamer.Media.Interceptors;

public sealed record ReceiverReportOptions
{
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(1);
}
