using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Streamer.Server.Tests.Infrastructure;
using Streamer.Server.Tests.WebRtc;
using Xunit.Abstractions;

namespace Streamer.Server.Tests.Client;

/// <summary>The real client page (client-web/dist, built by scripts/build-client.sh) in headless Chromium.</summary>
[Trait("Category", "Browser")]
[Collection(BrowserCollection.Name)]
public sealed class ClientPageChromiumTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Page_publishes_the_camera_shows_live_stats_and_stop_ends_the_session()
    {
        var dist = BuiltClient.EnsureBuilt();
        using var clip = Y4mClip.Create(320, 240, 15, seconds: 4);
        await using var server = KestrelStreamer.Start(("Client:Path", dist));
        await using var chromium = await ChromiumPeer.LaunchAsync(clip.Path);
        var page = chromium.Page;
        var client = server.Client(StreamerFactory.TokenA);
        var wait = new PageWaitForFunctionOptions { Timeout = (float)Patience.TotalMilliseconds, PollingInterval = 200 };

        await page.GotoAsync(server.BaseAddress.ToString());
        Assert.Equal("Streamer", await page.TitleAsync());
        await page.FillAsync("#token", StreamerFactory.TokenA);
        await page.ClickAsync("#publish");
        await page.WaitForFunctionAsync("() => /^[0-9a-f]{24}$/.test(document.querySelector('#session-id').textContent)", null, wait);
        var id = await page.TextContentAsync("#session-id") ?? "";

        var sessions = await client.GetFromJsonAsync<JsonElement>("/api/sessions");
        Assert.Contains(id, sessions.EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        var session = await WhipChromiumTests.WaitForFramesAsync(client, id, frames: 30, Patience);
        Assert.Equal("webrtc", session.GetProperty("kind").GetString());
        Assert.Equal("sessionStorage", await page.EvaluateAsync<string>(
            $"() => sessionStorage.getItem('streamer.token') === '{StreamerFactory.TokenA}' ? 'sessionStorage' : 'missing'"));

        // The panels fill from the browser's getStats() and from the server's stats endpoint.
        await page.WaitForFunctionAsync("""
            () => parseFloat(document.querySelector('#stat-fps').textContent) > 0
               && parseFloat(document.querySelector('#stat-bitrate').textContent) > 0
               && parseInt(document.querySelector('#server-frames').textContent) > 0
               && document.querySelector('#session-state').textContent === 'live'
               && document.querySelector('#latency-legend').textContent.includes('decode')
            """, null, wait);
        var fps = Number(await page.TextContentAsync("#stat-fps"));
        var bitrate = await page.TextContentAsync("#stat-bitrate") ?? "";
        output.WriteLine($"page: {fps} fps sent, {bitrate}, rtt {await page.TextContentAsync("#stat-rtt")}, " +
            $"loss {await page.TextContentAsync("#stat-loss")}, latency {await page.TextContentAsync("#latency-legend")}");
        Assert.InRange(fps, 1, 40);
        Assert.Matches(@"^\d+(\.\d+)? (k|M)bit/s$", bitrate);
        // What the server received, from the peer's video byte counter.
        await page.WaitForFunctionAsync("() => parseFloat(document.querySelector('#server-bitrate').textContent) > 0", null, wait);
        Assert.Matches(@"^\d+(\.\d+)? (k|M)bit/s$", await page.TextContentAsync("#server-bitrate") ?? "");
        // The server's loss and repair figures sit next to the browser's; over loopback they are small but present.
        await page.WaitForFunctionAsync("() => document.querySelector('#server-jitter').textContent.endsWith(' ms')", null, wait);
        Assert.Matches(@"^-?\d+ \(\d+\.\d\d %\)$", await page.TextContentAsync("#server-loss") ?? "");
        Assert.Matches(@"^\d+ / \d+$", await page.TextContentAsync("#server-nacks") ?? "");
        Assert.Matches(@"^\d+$", await page.TextContentAsync("#server-jitter-drops") ?? "");
        Assert.Matches(@"^\d+\.\d ms$", await page.TextContentAsync("#server-jitter") ?? "");

        var stats = await client.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}/stats");
        var receive = stats.GetProperty("receive");
        Assert.True(receive.GetProperty("packetsReceived").GetInt64() > 30);
        Assert.True(receive.GetProperty("bytesReceived").GetInt64() > 1000);
        Assert.True(receive.TryGetProperty("nacksSent", out _) && receive.TryGetProperty("jitterMs", out _));
        var decode = stats.GetProperty("stages").EnumerateArray().Single(s => s.GetProperty("stage").GetString() == "decode");
        Assert.True(decode.GetProperty("itemsIn").GetInt64() > 0);
        Assert.True(decode.GetProperty("latencyCount").GetInt64() > 0);
        Assert.True(decode.GetProperty("latencyTotalMs").GetDouble() > 0);
        // Every ingest session keeps a streaming memory from its start; its figures come with the stats.
        var memory = stats.GetProperty("memory");
        Assert.Equal(JsonValueKind.Object, memory.ValueKind);
        Assert.True(memory.GetProperty("blocks").GetInt64() >= 0);
        Assert.Equal(JsonValueKind.Array, memory.GetProperty("tiers").ValueKind);
        Assert.Equal(HttpStatusCode.NotFound,
            (await server.Client(StreamerFactory.TokenB).GetAsync($"/api/sessions/{id}/stats")).StatusCode);

        var screenshot = Path.Combine(AppContext.BaseDirectory, "TestResults", "client-page-publishing.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        output.WriteLine($"screenshot: {screenshot}");

        await page.ClickAsync("#stop");
        await page.WaitForFunctionAsync("() => document.querySelector('#session-state').textContent === 'ended'", null, wait);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/sessions/{id}")).StatusCode);
        Assert.Empty((await client.GetFromJsonAsync<JsonElement>("/api/sessions")).EnumerateArray());
        Assert.Null(await page.GetAttributeAsync("#publish", "disabled"));
    }

    private static double Number(string? text) => double.Parse((text ?? "").Split(' ')[0], CultureInfo.InvariantCulture);
}
