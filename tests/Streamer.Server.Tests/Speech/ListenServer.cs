using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Streamer.Media.Tests.Rtsp;
using Streamer.Server.Chat;
using Streamer.Server.Speech;
using Streamer.Server.Tests.Infrastructure;

namespace Streamer.Server.Tests.Speech;

/// <summary>
/// The server with the random thinker and speech models, short spoken answers and small listener
/// queues, a live RTSP test camera, and one session of token A with frames in memory.
/// </summary>
public sealed class ListenServer : IAsyncLifetime
{
    public const int MaxNewTokens = 120;
    public const int MaxCodes = 300;
    public const int ListenerQueue = 4;
    public const int MaxListenersPerSession = 3;

    private readonly string _kvFolder = Path.Combine(Path.GetTempPath(), "streamer-listen-tests-" + Guid.NewGuid().ToString("N"));

    public RtspTestServer Camera { get; } = new(Path.Combine(Path.GetTempPath(), "streamer-unused-clip.mp4"));

    public KestrelStreamer Server { get; private set; } = null!;

    public string SessionId { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Server = KestrelStreamer.Start(
            ("Chat:MaxNewTokens", MaxNewTokens.ToString(CultureInfo.InvariantCulture)),
            ("Speech:MaxCodes", MaxCodes.ToString(CultureInfo.InvariantCulture)),
            ("Speech:ListenerQueue", ListenerQueue.ToString(CultureInfo.InvariantCulture)),
            ("Speech:MaxListenersPerSession", MaxListenersPerSession.ToString(CultureInfo.InvariantCulture)),
            // 320x240 frames shrink to a 4x3 patch grid: the vision encoder costs little on a shared CPU.
            ("Memory:MinPixels", "3136"),
            ("Memory:MaxPixels", "9408"),
            ("Memory:DiskFolder", _kvFolder));
        SessionId = await CreateRtspSessionAsync();
        await Server.Services.GetRequiredService<SpeechHost>().Loaded.WaitAsync(TimeSpan.FromSeconds(60));
        await using var connection = await ConnectAsync(StreamerFactory.TokenA, messagePack: false);
        await Polling.WaitUntilAsync(async () =>
        {
            var stats = await connection.InvokeAsync<SessionEvent>("Join", SessionId);
            if (stats.MemoryError is not null) throw new InvalidOperationException("memory stage failed: " + stats.MemoryError);
            return stats.Blocks >= 1;
        }, TimeSpan.FromSeconds(60), "a memory block of the RTSP session");
    }

    public async Task<string> CreateRtspSessionAsync()
    {
        using var client = Server.Client(StreamerFactory.TokenA);
        var response = await client.PostAsJsonAsync("/api/sources", new { url = Camera.Url("live"), sampleFps = 2 });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    public async Task<HubConnection> ConnectAsync(string token, bool messagePack)
    {
        var builder = new HubConnectionBuilder().WithUrl(new Uri(Server.BaseAddress, "/hubs/chat"), o =>
            o.AccessTokenProvider = () => Task.FromResult<string?>(token));
        if (messagePack) builder.AddMessagePackProtocol();
        var connection = builder.Build();
        try
        {
            await connection.StartAsync();
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        return connection;
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Camera.Dispose();
        if (Directory.Exists(_kvFolder)) Directory.Delete(_kvFolder, recursive: true);
    }
}
