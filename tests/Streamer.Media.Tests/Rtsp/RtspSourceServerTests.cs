using Streamer.Media.Codecs;
using Streamer.Media.Rtsp;

namespace Streamer.Media.Tests.Rtsp;

[Collection(RtspServerCollection.Name)]
public sealed class RtspSourceServerTests(RtspServerFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(RtspTransportProtocol.Tcp)]
    [InlineData(RtspTransportProtocol.Udp)]
    public async Task File_source_decodes_at_320x240_near_15_fps_matching_the_clip(RtspTransportProtocol transport)
    {
        await using var run = new SourceRun(Options(fixture.Server.Url("file"), transport));
        var pictures = await run.DecodeAsync(VideoCodec.H264, 30, Timeout);
        try
        {
            Assert.Equal(30, pictures.Count);
            Assert.Equal(RtspSourceState.Playing, run.Source.State);
            foreach (var (picture, _) in pictures)
            {
                Assert.Equal(RtspServerFixture.Width, picture.Width);
                Assert.Equal(RtspServerFixture.Height, picture.Height);
                var best = fixture.SourceLuma.Max(source => VideoFrame.Psnr(picture.Y, source));
                Assert.True(best > 30, $"best PSNR {best:0.0} dB");
            }
            // The server paces the file in real time: 29 frame intervals of 1/15 s.
            var span = pictures[^1].At - pictures[0].At;
            Assert.InRange(span.TotalSeconds, 1.2, 3.0);
            // 90 kHz over 1/15 s per frame; the mp4's own timescale rounds by a tick or two.
            Assert.InRange(pictures[^1].Picture.RtpTimestamp - pictures[0].Picture.RtpTimestamp, 29u * 6000 - 2, 29u * 6000 + 2);
            Assert.True(run.Source.Stats.Frames >= 30);
            Assert.True(run.Source.Stats.Bytes > 0);
        }
        finally
        {
            pictures.ForEach(p => p.Picture.Dispose());
        }
    }

    [Theory]
    [InlineData("live", VideoCodec.H264, RtspTransportProtocol.Udp)]
    [InlineData("h265", VideoCodec.H265, RtspTransportProtocol.Tcp)]
    public async Task Live_source_decodes_at_320x240(string path, VideoCodec codec, RtspTransportProtocol transport)
    {
        await using var run = new SourceRun(Options(fixture.Server.Url(path), transport));
        var pictures = await run.DecodeAsync(codec, 15, Timeout);
        try
        {
            Assert.Equal(15, pictures.Count);
            Assert.All(pictures, p => Assert.Equal((RtspServerFixture.Width, RtspServerFixture.Height), (p.Picture.Width, p.Picture.Height)));
            var span = pictures[^1].At - pictures[0].At;
            Assert.InRange(span.TotalSeconds, 0.5, 2.5);
        }
        finally
        {
            pictures.ForEach(p => p.Picture.Dispose());
        }
    }

    [Fact]
    public async Task Digest_credentials_from_the_url_open_the_protected_stream()
    {
        var url = $"rtsp://{RtspTestServer.User}:{RtspTestServer.Password}@127.0.0.1:{fixture.Server.SecurePort}/secure";
        await using var run = new SourceRun(Options(url, RtspTransportProtocol.Tcp));
        Assert.DoesNotContain(RtspTestServer.Password, run.Source.ToString());
        Assert.DoesNotContain(RtspTestServer.Password, run.Source.RedactedUrl);
        var pictures = await run.DecodeAsync(VideoCodec.H264, 5, Timeout);
        pictures.ForEach(p => p.Picture.Dispose());
        Assert.Equal(5, pictures.Count);
    }

    [Fact]
    public async Task Wrong_digest_password_fails_once_with_an_authentication_error()
    {
        var options = Options(fixture.Server.SecureUrl, RtspTransportProtocol.Tcp);
        options.UserName = RtspTestServer.User;
        options.Password = "wrong-password";
        await using var run = new SourceRun(options);
        await run.Run.WaitAsync(Timeout);
        Assert.Equal(RtspSourceState.Failed, run.Source.State);
        Assert.IsType<RtspAuthenticationException>(run.Source.LastError);
        Assert.Equal(RtspError.AuthenticationFailed, run.Source.LastError!.Error);
        Assert.DoesNotContain("wrong-password", run.Source.LastError.Message);
        Assert.Equal(0, run.Source.Stats.Reconnects);
        // The output is completed with the error, so the reader learns why.
        var error = await Assert.ThrowsAsync<System.Threading.Channels.ChannelClosedException>(async () => await run.Frames.ReadAsync());
        Assert.Same(run.Source.LastError, error.InnerException);
    }

    [Fact]
    public async Task Missing_credentials_fail_with_an_authentication_error()
    {
        await using var run = new SourceRun(Options(fixture.Server.SecureUrl, RtspTransportProtocol.Tcp));
        await run.Run.WaitAsync(Timeout);
        Assert.Equal(RtspSourceState.Failed, run.Source.State);
        Assert.Equal(RtspError.AuthenticationFailed, run.Source.LastError!.Error);
    }

    [Fact]
    public async Task Killed_and_restarted_server_is_reconnected_and_frames_continue()
    {
        using var server = new RtspTestServer(fixture.Clip);
        var options = Options(server.Url("live"), RtspTransportProtocol.Tcp);
        options.StallTimeout = TimeSpan.FromSeconds(1.5);
        options.InitialBackoff = TimeSpan.FromMilliseconds(200);
        options.MaxBackoff = TimeSpan.FromSeconds(1);
        await using var run = new SourceRun(options);
        var before = await run.DecodeAsync(VideoCodec.H264, 5, Timeout);
        before.ForEach(p => p.Picture.Dispose());
        Assert.Equal(5, before.Count);

        server.Stop();
        Assert.True(await run.WaitForStateAsync(RtspSourceState.Retrying, Timeout));
        var framesAtDrop = run.Source.Stats.Frames;
        server.Start();
        Assert.True(await run.WaitForStateAsync(RtspSourceState.Playing, Timeout));

        // Same output, same decoder lifetime on the reader's side: frames simply keep coming.
        var after = await run.DecodeAsync(VideoCodec.H264, 5, Timeout);
        after.ForEach(p => p.Picture.Dispose());
        Assert.Equal(5, after.Count);
        Assert.True(run.Source.Stats.Frames > framesAtDrop);
        Assert.True(run.Source.Stats.Reconnects >= 1);
        Assert.Contains(RtspSourceState.Retrying, run.States);
        Assert.Equal(RtspSourceState.Playing, run.States[^1]);
        Assert.NotNull(run.Source.LastError);
    }

    [Fact]
    public async Task Client_sends_receiver_reports_and_maps_rtp_time_through_sender_reports()
    {
        await using var client = new RtspClient(fixture.Server.Url("live"), new RtspClientOptions { Transport = RtspTransportProtocol.Udp });
        var packets = 0;
        uint lastTimestamp = 0;
        client.PacketHandler = (_, packet, _) =>
        {
            Interlocked.Increment(ref packets);
            lastTimestamp = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(packet[4..]);
        };
        await client.ConnectAsync();
        await client.OptionsAsync();
        Assert.Contains("SETUP", client.PublicMethods);
        var description = await client.DescribeAsync();
        var video = description.Video!;
        Assert.Equal("H264", video.EncodingName);
        Assert.StartsWith(fixture.Server.Url("live"), video.ControlUrl);
        await client.SetupAsync(video);
        Assert.NotNull(client.Session);
        Assert.Equal(RtspTransportProtocol.Udp, video.Transport!.Protocol);
        Assert.NotNull(video.Transport.ServerPorts);
        await client.PlayAsync();

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(12);
        DateTimeOffset wall = default;
        while (DateTime.UtcNow < deadline && !(client.ReceiverReports.ReportsSent > 0 && client.TryGetWallClock(video, lastTimestamp, out wall)))
        {
            await Task.Delay(50);
        }
        Assert.True(packets > 0);
        Assert.True(client.ReceiverReports.ReportsSent > 0);
        Assert.True(client.ReceiverReports.SenderReportsReceived > 0);
        // Same machine: the camera's wall clock for the newest packet is close to ours.
        Assert.InRange((wall - DateTimeOffset.UtcNow).Duration().TotalSeconds, 0, 2);
        await client.TeardownAsync();
        Assert.Null(client.Session);
    }

    private static RtspSourceOptions Options(string url, RtspTransportProtocol transport) => new()
    {
        Url = url,
        Client = new RtspClientOptions { Transport = transport },
        JitterSeed = 1,
    };
}
