namespace Streamer.Server.Rtsp;

public static class RtspExtensions
{
    public static IHostApplicationBuilder AddStreamerRtsp(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RtspOptions>().BindConfiguration(RtspOptions.Section)
            .Validate(RtspOptions.IsValid, "Rtsp options are invalid: Transport must be tcp or udp, rates, sizes and timeouts positive, MaxBackoff >= InitialBackoff.")
            .ValidateOnStart();
        builder.Services.AddSingleton<RtspIngest>();
        return builder;
    }
}
