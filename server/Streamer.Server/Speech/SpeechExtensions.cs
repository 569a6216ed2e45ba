namespace Streamer.Server.Speech;

public static class SpeechExtensions
{
    /// <summary>Speech models loaded after the thinker, and the service that speaks answers; text answers never wait for them.</summary>
    public static IHostApplicationBuilder AddStreamerSpeech(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SpeechOptions>().BindConfiguration(SpeechOptions.Section)
            .Validate(SpeechOptions.IsValid, "Speech is invalid: ChunkQueue and MaxCodes must be at least 1 and NoiseFrames at least 64.")
            .ValidateOnStart();
        builder.Services.AddOptions<TalkerOptions>().BindConfiguration(TalkerOptions.Section)
            .Validate(TalkerOptions.IsValid, "Models:Talker is invalid: Device and DType are required.")
            .ValidateOnStart();
        builder.Services.AddOptions<Token2WavOptions>().BindConfiguration(Token2WavOptions.Section)
            .Validate(Token2WavOptions.IsValid, "Models:Token2Wav is invalid: Device and DType are required, and Path, when set, must be an existing folder.")
            .ValidateOnStart();
        builder.Services.AddSingleton<SpeechHost>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SpeechHost>());
        builder.Services.AddSingleton<SpeechService>();
        builder.Services.AddSingleton<AudioOutMetrics>();
        return builder;
    }
}
