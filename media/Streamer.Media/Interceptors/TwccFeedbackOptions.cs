namespace Streamer.Media.Interceptors;

public sealed record TwccFeedbackOptions
{
    public TimeSpan Interval { get; init; } = TimeSpan.FromMilliseconds(100);
    /// <summary>Arrivals kept between feedbacks; past this the oldest are dropped.</summary>
    public int MaxPending { get; init; } = 8192;
}
