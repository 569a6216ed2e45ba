using Microsoft.AspNetCore.SignalR;

namespace Streamer.Server.Chat;

public static class ChatExtensions
{
    /// <summary>Per-session memory stages, the answer queue, session events and the SignalR hub (JSON and MessagePack).</summary>
    public static IHostApplicationBuilder AddStreamerChat(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<MemoryOptions>().BindConfiguration(MemoryOptions.Section)
            .Validate(o => o.Check() is null, "Memory options are invalid.")
            .ValidateOnStart();
        builder.Services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<MemoryOptions>, MemoryOptionsValidator>();
        builder.Services.AddOptions<ChatOptions>().BindConfiguration(ChatOptions.Section)
            .Validate(ChatOptions.IsValid, "Chat options are invalid: every limit must be at least 1 and EventIntervalSeconds positive.")
            .ValidateOnStart();
        builder.Services.AddSingleton<SessionMemories>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SessionMemories>());
        builder.Services.AddSingleton<AnswerService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AnswerService>());
        builder.Services.AddSingleton<SessionEventBroadcaster>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SessionEventBroadcaster>());
        builder.Services.AddSingleton<HubErrorLogging>();
        builder.Services.AddSignalR(o => o.AddFilter<HubErrorLogging>()).AddMessagePackProtocol();
        return builder;
    }

    public static IEndpointRouteBuilder MapChatHub(this IEndpointRouteBuilder app)
    {
        app.MapHub<ChatHub>("/hubs/chat");
        return app;
    }
}
