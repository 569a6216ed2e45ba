using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Streamer.Server.Tests.Infrastructure;
using Streamer.Server.WebRtc;
using Xunit.Abstractions;

namespace Streamer.Server.Tests.WebRtc;

[Trait("Category", "Browser")]
[Collection(BrowserCollection.Name)]
public sealed class WhipLossTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Decoding_stays_continuous_with_five_percent_loss_both_ways()
    {
        using var clip = Y4mClip.Create(320, 240, 15, seconds: 4);
        var serverUdp = KestrelStreamer.FreeUdpPort();
        await using var server = KestrelStreamer.Start(("WebRtc:PortMin", serverUdp.ToString()), ("WebRtc:PortMax", serverUdp.ToString()));
        await using var relay = new LossyUdpRelay(serverUdp, lossRate: 0.05, seed: 5);
        await using var chromium = await ChromiumPeer.LaunchAsync(clip.Path);

        var location = await chromium.PublishAsync(server.BaseAddress, StreamerFactory.TokenA, "VP8", (serverUdp, relay.Port));
        var id = location.Split('/').Last();
        var session = (WebRtcSession)server.Sessions.All.Single(s => s.Id == id);
        var client = server.Client(StreamerFactory.TokenA);

        await WhipChromiumTests.WaitForFramesAsync(client, id, frames: 15, TimeSpan.FromSeconds(40));
        var start = session.Video.FramesDecoded;
        var window = TimeSpan.FromSeconds(10);
        var gaps = new List<long>();
        var last = start;
        for (var elapsed = TimeSpan.Zero; elapsed < window; elapsed += TimeSpan.FromSeconds(1))
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            var now = session.Video.FramesDecoded;
            gaps.Add(now - last);
            last = now;
        }
        var decoded = last - start;
        var stats = session.Peer.Stats;
        output.WriteLine($"relay forwarded {relay.Forwarded}, dropped {relay.Dropped}");
        output.WriteLine($"frames decoded in {window.TotalSeconds} s: {decoded} (per second: {string.Join(",", gaps)})");
        output.WriteLine($"sequence numbers NACKed {stats.NackedSequenceNumbers} (given up {stats.NackGivenUp}), RTX retransmissions received {stats.RetransmissionsReceived}, " +
                         $"filling a gap {stats.RetransmissionsRecovered}, RTX padding {stats.RtxPaddingPackets}");
        output.WriteLine($"NACKs sent {stats.NacksSent}, packets recovered {stats.PacketsRecovered}, keyframe requests sent {stats.KeyframeRequestsSent}, " +
                         $"jitter-buffer frames dropped {session.Peer.JitterStats?.FramesDropped}, late packets {session.Peer.JitterStats?.PacketsLate}, " +
                         $"duplicates {session.Peer.JitterStats?.PacketsDuplicate}, decode errors {session.Video.DecodeErrors}");

        // The same figures through the API, read after the peer's counters so each is at least theirs.
        var (nacksSent, retransmissions) = (stats.NacksSent, stats.RetransmissionsReceived);
        var receive = (await client.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}/stats")).GetProperty("receive");
        output.WriteLine($"receive: {receive}");
        Assert.True(receive.GetProperty("nacksSent").GetInt64() >= nacksSent);
        Assert.True(receive.GetProperty("retransmissionsReceived").GetInt64() >= retransmissions);
        Assert.True(receive.GetProperty("retransmissionsRecovered").GetInt64() > 0);
        Assert.True(receive.GetProperty("packetsReceived").GetInt64() > 15 * window.TotalSeconds);
        Assert.True(receive.GetProperty("bytesReceived").GetInt64() > receive.GetProperty("packetsReceived").GetInt64() * 12);
        Assert.InRange(receive.GetProperty("bitrateKbps").GetDouble(), 10, 100_000);
        // Lost on the way, repaired or not: some of what the relay dropped (it drops both ways).
        Assert.InRange(receive.GetProperty("packetsLost").GetInt64(), 1, relay.Dropped);
        Assert.True(receive.GetProperty("framesDropped").GetInt64() >= 0);
        // Loopback jitter is a few milliseconds; RTX probes of old packets must not count in it.
        Assert.InRange(receive.GetProperty("jitterMs").GetDouble(), 0.001, 100);
        Assert.True(relay.Dropped > 20, "the relay should have dropped packets");
        Assert.True(stats.NacksSent > 0, "lost packets must be NACKed");
        Assert.True(stats.PacketsRecovered > 0, "NACKed packets must be recovered by retransmission");
        // Chromium offers RTX and resends over it once it is answered.
        Assert.NotNull(session.Peer.VideoMedia?.Rtx);
        Assert.True(stats.RetransmissionsRecovered > 0, "NACKed packets must come back as RTX retransmissions");
        // Loss costs some frames (a frame whose packets stay missing is given up and decoding
        // resumes at the next keyframe); what must not happen is a stream that stalls.
        Assert.True(decoded >= window.TotalSeconds * 15 * 0.4, $"decoding was not continuous: {decoded} frames in {window.TotalSeconds} s");
        var stalls = gaps.Zip(gaps.Skip(1)).Count(pair => pair.First == 0 && pair.Second == 0);
        Assert.True(stalls == 0, $"two seconds in a row passed with no decoded frame: {string.Join(",", gaps)}");
    }

    [Fact]
    public async Task Garbage_datagrams_are_counted_and_the_stream_continues()
    {
        using var clip = Y4mClip.Create(320, 240, 15, seconds: 4);
        await using var server = KestrelStreamer.Start();
        await using var chromium = await ChromiumPeer.LaunchAsync(clip.Path);
        var location = await chromium.PublishAsync(server.BaseAddress, StreamerFactory.TokenA, "VP8");
        var id = location.Split('/').Last();
        var session = (WebRtcSession)server.Sessions.All.Single(s => s.Id == id);
        var client = server.Client(StreamerFactory.TokenA);
        await WhipChromiumTests.WaitForFramesAsync(client, id, frames: 10, TimeSpan.FromSeconds(30));

        using var attacker = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var target = session.Peer.LocalEndPoint;
        var random = new Random(42);
        var datagram = new byte[300];
        for (var i = 0; i < 2000; i++)
        {
            random.NextBytes(datagram);
            // Every class of first byte: STUN, DTLS, RTP/RTCP and unknown.
            datagram[0] = (byte)(i % 4 == 0 ? 0x00 : i % 4 == 1 ? 22 : i % 4 == 2 ? 0x80 : 0xF0);
            await attacker.SendToAsync(datagram.AsMemory(0, 1 + random.Next(datagram.Length - 1)), SocketFlags.None, target);
        }
        var before = session.Video.FramesDecoded;
        await Task.Delay(TimeSpan.FromSeconds(2));

        output.WriteLine($"rejected: {string.Join(", ", session.Peer.Stats.Rejected.Select(p => $"{p.Key.Protocol}/{p.Key.Reason}={p.Value}"))}");
        Assert.True(session.Peer.Stats.RejectedTotal >= 1500, $"only {session.Peer.Stats.RejectedTotal} rejected");
        Assert.True(session.Video.FramesDecoded > before + 10, "the stream stopped after garbage");
        Assert.Equal("live", session.State.ToString().ToLowerInvariant());
        // The meter adapter publishes on its own schedule; poll briefly.
        var metrics = "";
        for (var i = 0; i < 50 && !metrics.Contains("streamer_packets_rejected"); i++)
        {
            metrics = await server.Client(null).GetStringAsync("/metrics");
            if (!metrics.Contains("streamer_packets_rejected")) await Task.Delay(200);
        }
        Assert.Contains("streamer_packets_rejected", metrics);
    }
}
