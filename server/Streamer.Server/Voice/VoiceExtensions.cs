namespace Streamer.Server.Voice;

public static class VoiceExtensions
{
    /// <summary>Spoken questions and barge-in on the audio of WebRTC sessions.</summary>
    public static IHostApplicationBuilder AddStreamerVoice(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<VoiceOptions>().BindConfiguration(VoiceOptions.Section)
            .Validate(VoiceOptions.IsValid, "Voice options are invalid: StartMilliseconds 20-2000, HangoverMilliseconds 20-10000, MinUtteranceMilliseconds at least 20 and below MaxUtteranceMilliseconds (at most 30000), PreRollMilliseconds 0-2000, ThresholdDb positive, MinSpeechDbfs between -120 and 0, MinVoicing between 0 and 1, NoiseAdaptSeconds positive, UtteranceQueue at least 1, MaxConcealMilliseconds 20-1000.")
            .ValidateOnStart();
        builder.Services.AddSingleton<VoiceSessions>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<VoiceSessions>());
        return builder;
    }
}
