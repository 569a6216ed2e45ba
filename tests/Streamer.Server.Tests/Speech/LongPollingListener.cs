using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Streamer.Server.Speech;

namespace Streamer.Server.Tests.Speech;

/// <summary>
/// A SignalR client on the long-polling transport that calls <c>Listen</c> and then stops polling:
/// the server can only buffer what it sends (SignalR's transport buffer), as it would for a client on
/// a slow link, until <see cref="DrainAsync"/> polls again and reads everything that was kept.
/// </summary>
public sealed class LongPollingListener : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';
    private readonly HttpClient _http;
    private readonly string _path;

    private LongPollingListener(HttpClient http, string path)
    {
        _http = http;
        _path = path;
    }

    public static async Task<LongPollingListener> StartAsync(HttpClient http, string sessionId)
    {
        var negotiate = await http.PostAsync("/hubs/chat/negotiate?negotiateVersion=1", null);
        negotiate.EnsureSuccessStatusCode();
        var token = (await negotiate.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("connectionToken").GetString()!;
        var listener = new LongPollingListener(http, "/hubs/chat?id=" + Uri.EscapeDataString(token));
        // The server answers the first poll at once: it starts the connection.
        (await http.GetAsync(listener._path)).EnsureSuccessStatusCode();
        var invocation = JsonSerializer.Serialize(new { type = 4, invocationId = "1", target = "Listen", arguments = new[] { sessionId } });
        var send = await http.PostAsync(listener._path, new StringContent("{\"protocol\":\"json\",\"version\":1}" + RecordSeparator + invocation + RecordSeparator, Encoding.UTF8));
        send.EnsureSuccessStatusCode();
        return listener;
    }

    /// <summary>Polls until the listen stream has delivered answer <paramref name="speechId"/>'s last chunk; returns the stream's chunks.</summary>
    public async Task<List<SpeechAudioChunk>> DrainAsync(long speechId, TimeSpan timeout)
    {
        var chunks = new List<SpeechAudioChunk>();
        using var deadline = new CancellationTokenSource(timeout);
        while (!chunks.Any(c => c.SpeechId == speechId && c.IsLast))
        {
            var body = await _http.GetStringAsync(_path, deadline.Token);
            foreach (var record in body.Split(RecordSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                var message = JsonDocument.Parse(record).RootElement;
                // Stream items of the Listen invocation; the handshake reply and pings carry no type 2.
                if (message.TryGetProperty("type", out var type) && type.GetInt32() == 2)
                    chunks.Add(message.GetProperty("item").Deserialize<SpeechAudioChunk>(new JsonSerializerOptions(JsonSerializerDefaults.Web))!);
                else if (message.TryGetProperty("error", out var error))
                    throw new InvalidOperationException("the Listen stream failed: " + error.GetString());
            }
        }
        return chunks;
    }

    public async ValueTask DisposeAsync()
    {
        using var _ = await _http.DeleteAsync(_path);
        _http.Dispose();
    }
}
