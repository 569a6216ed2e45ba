namespace Streamer.Media.Interceptors;

/// <summary>Options of every interceptor <see cref="DefaultInterceptors"/> registers.</summary>
public sealed record DefaultInterceptorOptions
{
    public NackGeneratorOptions NackGenerator { get; init; } = new();
    public ReceiverReportOptions ReceiverReports { get; init; } = new();
    public TwccFeedbackOptions TransportCc { get; init; } = new();
    public KeyframeRequesterOptions KeyframeRequests { get; init; } = new();
    public SenderReportOptions SenderReports { get; init; } = new();
    public NackResponderOptions NackResponder { get; init; } = new();
}
