using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Streamer.Media.Codecs;
using Streamer.Media.Rtsp;

namespace Streamer.Media.Tests.Rtsp;

[Collection(RtspServerCollection.Name)]
public sealed class RtspClientFaultTests(RtspServerFixture fixture)
{
    private const string Mpeg4Sdp =
        "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=cam\r\nt=0 0\r\na=control:*\r\n" +
        "m=video 0 RTP/AVP 96\r\na=rtpmap:96 MP4V-ES/90000\r\na=fmtp:96 profile-level-id=1\r\na=control:track1\r\n";

    private static readonly RtspClientOptions Fast = new()
    {
        ConnectTimeout = TimeSpan.FromSeconds(2),
        ResponseTimeout = TimeSpan.FromMilliseconds(500),
    };

    [Fact]
    public async Task Garbage_reply_is_a_malformed_response_error()
    {
        await using var server = new FakeRtspServer((_, _) => "HTTP/1.1 400 Bad Request\r\n\r\n");
        var error = await ConnectAndOptions(server.Url);
        Assert.Equal(RtspError.MalformedResponse, error.Error);
    }

    [Fact]
    public async Task Reply_without_cseq_is_a_cseq_error()
    {
        await using var server = new FakeRtspServer((_, _) => "RTSP/1.0 200 OK\r\nPublic: OPTIONS\r\n\r\n");
        var error = await ConnectAndOptions(server.Url);
        Assert.Equal(RtspError.CSeqMismatch, error.Error);
    }

    [Fact]
    public async Task Truncated_header_that_never_completes_is_a_timeout_error()
    {
        await using var server = new FakeRtspServer((_, cseq) => $"RTSP/1.0 200 OK\r\nCSeq: {cseq}\r\nPubl");
        var error = await ConnectAndOptions(server.Url);
        // The truncated header never completes; the client gives up after the response timeout.
        Assert.Equal(RtspError.Timeout, error.Error);
    }

    [Fact]
    public async Task Server_closing_mid_request_is_a_connection_closed_error()
    {
        await using var server = new FakeRtspServer((_, _) => FakeRtspServer.Close);
        var error = await ConnectAndOptions(server.Url);
        Assert.Equal(RtspError.ConnectionClosed, error.Error);
    }

    [Fact]
    public async Task Server_that_never_answers_times_out()
    {
        await using var server = new FakeRtspServer((_, _) => null);
        var clock = Stopwatch.StartNew();
        var error = await ConnectAndOptions(server.Url);
        Assert.Equal(RtspError.Timeout, error.Error);
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.4, 3);
    }

    [Fact]
    public async Task Unreachable_port_is_a_connect_error()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        var error = await ConnectAndOptions($"rtsp://user:hunter2@127.0.0.1:{port}/stream");
        Assert.Equal(RtspError.ConnectFailed, error.Error);
        Assert.DoesNotContain("hunter2", error.Message);
    }

    [Fact]
    public async Task Unsupported_codec_fails_the_source_naming_the_codec()
    {
        await using var server = new FakeRtspServer((method, cseq) => method switch
        {
            "OPTIONS" => FakeRtspServer.Ok(cseq, "Public: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN\r\n"),
            "DESCRIBE" => FakeRtspServer.Ok(cseq, "Content-Type: application/sdp\r\n", Mpeg4Sdp),
            _ => FakeRtspServer.Close,
        });
        var channel = Channel.CreateBounded<EncodedFrame>(4);
        var source = new RtspSource(new RtspSourceOptions { Url = server.Url, Client = Fast }, channel.Writer);
        await source.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(RtspSourceState.Failed, source.State);
        Assert.Equal(RtspError.UnsupportedCodec, source.LastError!.Error);
        Assert.Contains("MP4V-ES", source.LastError.Message);
        Assert.True(channel.Reader.Completion.IsCompleted);
    }

    [Fact]
    public async Task Redirect_is_followed_to_the_real_server()
    {
        var target = fixture.Server.Url("live");
        await using var server = new FakeRtspServer((method, cseq) => method switch
        {
            "OPTIONS" => FakeRtspServer.Ok(cseq),
            _ => $"RTSP/1.0 302 Moved Temporarily\r\nCSeq: {cseq}\r\nLocation: {target}\r\n\r\n",
        });
        await using var client = new RtspClient(server.Url, Fast);
        await client.ConnectAsync();
        await client.OptionsAsync();
        var description = await client.DescribeAsync();
        Assert.Equal("H264", description.Video!.EncodingName);
        Assert.Equal(target, client.RedactedUrl);
    }

    [Fact]
    public async Task Endless_redirects_stop_at_the_limit()
    {
        FakeRtspServer? self = null;
        await using var server = self = new FakeRtspServer((_, cseq) =>
            $"RTSP/1.0 301 Moved\r\nCSeq: {cseq}\r\nLocation: {self!.Url}\r\n\r\n");
        await using var client = new RtspClient(server.Url, new RtspClientOptions { MaxRedirects = 2, ResponseTimeout = Fast.ResponseTimeout });
        await client.ConnectAsync();
        var error = await Assert.ThrowsAsync<RtspException>(() => client.DescribeAsync());
        Assert.Equal(RtspError.TooManyRedirects, error.Error);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task Source_against_a_silent_server_retries_then_fails_after_max_attempts()
    {
        await using var server = new FakeRtspServer((_, _) => null);
        var channel = Channel.CreateBounded<EncodedFrame>(4);
        var source = new RtspSource(new RtspSourceOptions
        {
            Url = server.Url,
            Client = Fast,
            MaxAttempts = 2,
            InitialBackoff = TimeSpan.FromMilliseconds(50),
            JitterSeed = 3,
        }, channel.Writer);
        var states = new List<RtspSourceState>();
        source.StateChanged += (_, e) => states.Add(e.Current);
        await source.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([RtspSourceState.Retrying, RtspSourceState.Connecting, RtspSourceState.Failed], states);
        Assert.Equal(RtspError.Timeout, source.LastError!.Error);
        Assert.Equal(1, source.Stats.Reconnects);
    }

    private static async Task<RtspException> ConnectAndOptions(string url)
    {
        var client = new RtspClient(url, Fast);
        try
        {
            await client.ConnectAsync();
            await client.OptionsAsync();
            await client.DescribeAsync();
        }
        catch (RtspException e)
        {
            // Disposing must not hang or throw after a failure: no loop is left running.
            await client.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(3));
            return e;
        }
        await client.DisposeAsync();
        throw new Xunit.Sdk.XunitException("no RtspException");
    }
}
