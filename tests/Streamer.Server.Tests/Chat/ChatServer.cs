using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Streamer.Media.Tests.Rtsp;
using Streamer.Server.Chat;
using Streamer.Server.Tests.Infrastructure;

namespace Streamer.Server.Tests.Chat;

/// <summary>
/// The server on a loopback port with the random model and small frames, a live RTSP test
/// camera, and one session of token A that has frames in memory, shared by the chat tests.
/// </summary>
public sealed class ChatServer : IAsyncLifetime
{
    public const int MaxNewTokens = 400;
    public const int MaxQuestionChars = 200;

    private readonly string _kvFolder = Path.Combine(Path.GetTempPath(), "streamer-chat-tests-" + Guid.NewGuid().ToString("N"));

    public RtspTestServer Camera { get; } = new(Path.Combine(Path.GetTempPath(), "streamer-unused-clip.mp4"));

    public KestrelStreamer Server { get; private set; } = null!;

    public string SessionId { get; private set; } = "";

    /// <summary>When the test asked for the session; every media time must lie after it.</summary>
    public DateTimeOffset SessionRequestedAt { get; private set; }

    public async Task InitializeAsync()
    {
        Server = KestrelStreamer.Start(
            ("Chat:MaxNewTokens", MaxNewTokens.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("Chat:MaxQuestionChars", MaxQuestionChars.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("Chat:EventIntervalSeconds", "0.5"),
            // 320x240 frames shrink to a 4x3 patch grid: the vision encoder costs little on a shared CPU.
            ("Memory:MinPixels", "3136"),
            ("Memory:MaxPixels", "9408"),
            ("Memory:DiskFolder", _kvFolder));
        SessionRequestedAt = DateTimeOffset.UtcNow;
        SessionId = await CreateRtspSessionAsync(Camera.Url("live"));
        await using var connection = await ConnectAsync(StreamerFactory.TokenA, messagePack: false);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var stats = await connection.InvokeAsync<SessionEvent>("Join", SessionId);
            if (stats.Blocks >= 2) break;
            if (stats.MemoryError is not null) throw new InvalidOperationException("memory stage failed: " + stats.MemoryError);
            if (DateTime.UtcNow > deadline) throw new TimeoutException("no memory blocks in 60 s: " + JsonSerializer.Serialize(stats)
                + await Server.Client(null).GetStringAsync("/healthz"));
            await Task.Delay(200);
        }
    }

    public async Task<string> CreateRtspSessionAsync(string url)
    {
        using var client = Server.Client(StreamerFactory.TokenA);
        var response = await client.PostAsJsonAsync("/api/sources", new { url, sampleFps = 2 });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    public async Task<HubConnection> ConnectAsync(string? token, bool messagePack)
    {
        var builder = new HubConnectionBuilder().WithUrl(new Uri(Server.BaseAddress, "/hubs/chat"), o =>
        {
            if (token is not null) o.AccessTokenProvider = () => Task.FromResult<string?>(token);
        });
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
