using Streamer.Server.Speech;

namespace Streamer.Server.Apis;

public static class SpeechApi
{
    /// <summary><c>GET /api/speech</c>: the speech status and the voices a session can choose with the hub's SetSpeaker.</summary>
    public static IEndpointRouteBuilder MapSpeechApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/speech", (SpeechHost host) => TypedResults.Ok(host.Current is { } speech
                ? new SpeechDto("ready", speech.Speakers.Names, speech.DefaultSpeaker)
                // The status turns "ready" a moment before the models are published; until then it is still loading.
                : new SpeechDto(host.Status == "ready" ? "loading" : host.Status, [], null)))
            .RequireAuthorization()
            .WithTags("Speech")
            .WithName("GetSpeech")
            .WithSummary("Whether answers are spoken (or why they are text only), the voices and the default voice.");
        return app;
    }
}
