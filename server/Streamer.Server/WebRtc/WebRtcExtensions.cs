namespace Streamer.Server.WebRtc;

public static class WebRtcExtensions
{
    public static IHostApplicationBuilder AddStreamerWebRtc(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebRtcOptions>().BindConfiguration(WebRtcOptions.Section)
            .Validate(WebRtcOptions.IsValid, "WebRtc options are invalid: check BindAddress/CandidateAddress (IP addresses), PortMin/PortMax, VideoCodecs (VP8, H264) and that sizes and timeouts are positive.")
            .ValidateOnStart();
        builder.Services.AddSingleton<WebRtcIngest>();
        return builder;
    }
}
