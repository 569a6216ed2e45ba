using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Streamer.Media.Tests.Rtsp;
using Streamer.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Streamer.Server.Tests.Rtsp;

[Trait("Category", "Rtsp")]
public sealed class SourcesApiTests(ITestOutputHelper output) : IDisposable
{
    // Only the live paths are used; the file path of the script is never requested.
    private readonly RtspTestServer _camera = new(Path.Combine(Path.GetTempPath(), "streamer-unused-clip.mp4"));
    private readonly StreamerFactory _factory = new StreamerFactory()
        .With("Rtsp:InitialBackoffSeconds", "0.2")
        .With("Rtsp:MaxBackoffSeconds", "1")
        .With("Rtsp:StallTimeoutSeconds", "2");

    private async Task<string> CreateAsync(HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync("/api/sources", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal($"/api/sessions/{id}", response.Headers.Location?.ToString());
        return id;
    }

    private static async Task<JsonElement> WaitAsync(HttpClient client, string id, Func<JsonElement, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        JsonElement json = default;
        while (DateTime.UtcNow < deadline)
        {
            json = await client.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}");
            if (done(json)) return json;
            await Task.Delay(200);
        }
        throw new TimeoutException($"condition not met in {timeout}: {json}");
    }

    private static long Frames(JsonElement json) => json.GetProperty("video").GetProperty("framesDecoded").GetInt64();

    [Fact]
    public async Task Camera_session_decodes_frames_and_keeps_counting_across_a_camera_restart()
    {
        var client = _factory.ClientWith(StreamerFactory.TokenA);
        var id = await CreateAsync(client, new { url = _camera.Url("live"), sampleFps = 2 });

        var live = await WaitAsync(client, id, j => Frames(j) >= 20, TimeSpan.FromSeconds(30));
        output.WriteLine(live.ToString());
        Assert.Equal("rtsp", live.GetProperty("kind").GetString());
        Assert.Equal("live", live.GetProperty("state").GetString());
        Assert.Equal("H264", live.GetProperty("video").GetProperty("codec").GetString());
        Assert.Equal(320, live.GetProperty("video").GetProperty("width").GetInt32());
        Assert.Equal(240, live.GetProperty("video").GetProperty("height").GetInt32());
        Assert.Equal("playing", live.GetProperty("source").GetProperty("state").GetString());
        Assert.Equal(2, live.GetProperty("source").GetProperty("sampleFps").GetDouble());
        var listed = await client.GetFromJsonAsync<JsonElement>("/api/sessions");
        Assert.Contains(listed.EnumerateArray(), s => s.GetProperty("id").GetString() == id);

        _camera.Stop();
        var retrying = await WaitAsync(client, id, j => j.GetProperty("source").GetProperty("state").GetString() is "retrying" or "connecting",
            TimeSpan.FromSeconds(20));
        var before = Frames(retrying);
        _camera.Start();
        var back = await WaitAsync(client, id, j => Frames(j) >= before + 15 && j.GetProperty("state").GetString() == "live", TimeSpan.FromSeconds(40));
        output.WriteLine(back.ToString());
        Assert.True(back.GetProperty("source").GetProperty("reconnects").GetInt64() >= 1);

        Assert.Equal(HttpStatusCode.NotFound, (await _factory.ClientWith(StreamerFactory.TokenB).GetAsync($"/api/sessions/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/sessions/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/sessions/{id}")).StatusCode);
    }

    [Fact]
    public async Task Digest_credentials_work_and_never_appear_in_responses()
    {
        var client = _factory.ClientWith(StreamerFactory.TokenA);
        var id = await CreateAsync(client, new { url = _camera.SecureUrl, username = RtspTestServer.User, password = RtspTestServer.Password });

        var json = await WaitAsync(client, id, j => Frames(j) >= 10, TimeSpan.FromSeconds(30));
        var text = json.ToString() + await client.GetStringAsync("/api/sessions") + await client.GetStringAsync("/metrics");
        Assert.DoesNotContain(RtspTestServer.Password, text);
    }

    [Fact]
    public async Task Wrong_password_fails_the_session_with_a_clear_error()
    {
        var client = _factory.ClientWith(StreamerFactory.TokenA);
        var id = await CreateAsync(client, new { url = _camera.SecureUrl, username = RtspTestServer.User, password = "wrong-password" });

        var json = await WaitAsync(client, id, j => j.GetProperty("state").GetString() == "failed", TimeSpan.FromSeconds(20));
        output.WriteLine(json.ToString());
        Assert.Equal("failed", json.GetProperty("source").GetProperty("state").GetString());
        Assert.Contains("credentials", json.GetProperty("error").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("wrong-password", json.ToString());
    }

    [Theory]
    [InlineData("{}", "url")]
    [InlineData("{\"url\":\"http://127.0.0.1/stream\"}", "RTSP")]
    [InlineData("{\"url\":\"rtsp://127.0.0.1/live\",\"sampleFps\":0}", "sampleFps")]
    [InlineData("{\"url\":\"rtsp://127.0.0.1/live\",\"memoryPolicy\":\"everything\"}", "memoryPolicy")]
    public async Task Bad_source_requests_are_400_naming_the_field(string body, string mentioned)
    {
        var client = _factory.ClientWith(StreamerFactory.TokenA);

        var response = await client.PostAsync("/api/sources", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(mentioned, problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Memory_policy_field_is_the_sessions_policy_and_the_configured_one_applies_without_it()
    {
        using var factory = new StreamerFactory().With("Memory:Policy", "flashvstream");
        var client = factory.ClientWith(StreamerFactory.TokenA);
        var closedPort = KestrelStreamer.FreeTcpPort();

        var chosen = await CreateAsync(client, new { url = $"rtsp://127.0.0.1:{closedPort}/a", memoryPolicy = "livevlm" });
        var configured = await CreateAsync(client, new { url = $"rtsp://127.0.0.1:{closedPort}/b" });

        Assert.Equal("livevlm", (await client.GetFromJsonAsync<JsonElement>($"/api/sessions/{chosen}")).GetProperty("memoryPolicy").GetString());
        Assert.Equal("flashvstream", (await client.GetFromJsonAsync<JsonElement>($"/api/sessions/{configured}")).GetProperty("memoryPolicy").GetString());
    }

    [Fact]
    public async Task Unreachable_camera_is_reported_as_retrying_with_the_error()
    {
        var client = _factory.ClientWith(StreamerFactory.TokenA);
        var closedPort = KestrelStreamer.FreeTcpPort();
        var id = await CreateAsync(client, new { url = $"rtsp://127.0.0.1:{closedPort}/nothing" });

        var json = await WaitAsync(client, id, j => j.GetProperty("source").GetProperty("error").ValueKind == JsonValueKind.String, TimeSpan.FromSeconds(20));
        output.WriteLine(json.ToString());
        Assert.Equal("connecting", json.GetProperty("state").GetString());
        Assert.Contains(json.GetProperty("source").GetProperty("state").GetString(), new[] { "retrying", "connecting" });
    }

    public void Dispose()
    {
        _factory.Dispose();
        _camera.Dispose();
    }
}
