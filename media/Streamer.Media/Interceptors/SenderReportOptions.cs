namespace Streamer.Media.Interceptors;

public sealed record SenderReportOptions
{
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(1);
}
