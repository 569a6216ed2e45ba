namespace Streamer.Media.Interceptors;

/// <summary>
/// The one list of RTCP features a WebRTC connection runs. Each interceptor activates per
/// stream only when that stream negotiated what it needs ("nack", "transport-cc" plus the
/// extension, "nack pli" or "ccm fir"); receiver and sender reports always run.
/// </summary>
public static class DefaultInterceptors
{
    public static void Register(InterceptorRegistry registry, DefaultInterceptorOptions options)
    {
        registry.Add(c => new ReceiverReportGenerator(options.ReceiverReports, c));
        registry.Add(c => new NackGenerator(options.NackGenerator, c));
        registry.Add(c => new TwccFeedbackGenerator(options.TransportCc, c));
        registry.Add(c => new KeyframeRequester(options.KeyframeRequests, c));
        registry.Add(_ => new SenderReportGenerator(options.SenderReports));
        registry.Add(_ => new NackResponder(options.NackResponder));
    }
}
