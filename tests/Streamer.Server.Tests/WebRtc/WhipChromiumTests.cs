using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Streamer.Server.Tests.Infrastructure;
using Streamer.Server.WebRtc;
using Xunit.Abstractions;

namespace Streamer.Server.Tests.WebRtc;

[Trait("Category", "Browser")]
[Collection(BrowserCollection.Name)]
public sealed class WhipChromiumTests(ITestOutputHelper output)
{
    private const int Width = 320;
    private const int Height = 240;
    private const int Fps = 15;

    [Theory]
    [InlineData("VP8")]
    [InlineData("H264")]
    public async Task Chromium_publishes_camera_and_server_decodes_matching_frames(string codec)
    {
        using var clip = Y4mClip.Create(Width, Height, Fps, seconds: 4);
        await using var server = KestrelStreamer.Start();
        await using var chromium = await ChromiumPeer.LaunchAsync(clip.Path);

        var location = await chromium.PublishAsync(server.BaseAddress, StreamerFactory.TokenA, codec);
        var id = location.Split('/').Last();
        Assert.StartsWith("/whip/", location);

        var session = (WebRtcSession)server.Sessions.All.Single(s => s.Id == id);
        var psnrs = new ConcurrentBag<double>();
        session.Decoder.FrameDecoded += frame =>
        {
            if (frame.Width == Width && frame.Height == Height && psnrs.Count < 40) psnrs.Add(clip.BestPsnr(frame.Y));
        };

        var client = server.Client(StreamerFactory.TokenA);
        var json = await WaitForFramesAsync(client, id, frames: 60, TimeSpan.FromSeconds(30));
        var video = json.GetProperty("video");
        output.WriteLine($"{codec}: {json}");
        output.WriteLine($"{codec}: PSNR median {Median(psnrs):F1} dB over {psnrs.Count} frames, min {psnrs.DefaultIfEmpty().Min():F1}");

        Assert.Equal("webrtc", json.GetProperty("kind").GetString());
        Assert.Equal("live", json.GetProperty("state").GetString());
        Assert.Equal(codec, video.GetProperty("codec").GetString());
        Assert.Equal(Width, video.GetProperty("width").GetInt32());
        Assert.Equal(Height, video.GetProperty("height").GetInt32());
        // The rate over three steady seconds: the first frames can arrive in a burst.
        var before = video.GetProperty("framesDecoded").GetInt64();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(3));
        var later = await client.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}");
        var rate = (later.GetProperty("video").GetProperty("framesDecoded").GetInt64() - before) / clock.Elapsed.TotalSeconds;
        output.WriteLine($"{codec}: {rate:F1} frames/s decoded over 3 s; reported fps {later.GetProperty("video").GetProperty("fps").GetDouble()}");
        Assert.InRange(rate, Fps * 0.6, Fps * 1.3);
        Assert.InRange(later.GetProperty("video").GetProperty("fps").GetDouble(), Fps * 0.5, Fps * 1.6);
        Assert.True(psnrs.Count >= 20, $"only {psnrs.Count} full-size frames compared");
        Assert.True(Median(psnrs) > 28, $"decoded frames do not match the camera pattern (median PSNR {Median(psnrs):F1} dB)");

        var snapshot = await client.GetAsync($"/api/sessions/{id}/snapshot");
        Assert.Equal(HttpStatusCode.OK, snapshot.StatusCode);
        Assert.Equal("image/png", snapshot.Content.Headers.ContentType?.MediaType);
        var png = await snapshot.Content.ReadAsByteArrayAsync();
        Assert.Equal(Width, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(Height, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));

        var deleted = await client.DeleteAsync(location);
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/sessions/{id}")).StatusCode);
    }

    internal static async Task<JsonElement> WaitForFramesAsync(HttpClient client, string id, int frames, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        JsonElement json = default;
        while (DateTime.UtcNow < deadline)
        {
            json = await client.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}");
            if (json.GetProperty("video").GetProperty("framesDecoded").GetInt64() >= frames) return json;
            if (json.GetProperty("state").GetString() is "failed" or "ended")
                throw new InvalidOperationException($"session ended: {json}");
            await Task.Delay(200);
        }
        throw new TimeoutException($"fewer than {frames} frames decoded in {timeout}: {json}");
    }

    internal static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted[sorted.Length / 2];
    }
}
