using System.Net;
using System.Net.Sockets;
using Streamer.Media.Interceptors;
using Streamer.Media.Rtcp;
using Streamer.Media.Rtp;
using Streamer.Media.Tests.Interceptors;
using Streamer.Media.WebRtc;
using static Streamer.Media.Tests.Interceptors.InterceptorTestKit;

namespace Streamer.Media.Tests.WebRtc;

public sealed class DatagramReaderTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Arrival_deltas_in_congestion_feedback_are_the_socket_read_times_when_processing_lags()
    {
        var clock = new ManualTimeProvider(T0);
        using var socket = Bound();
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var stats = new WebRtcPeerStats();
        var reader = new DatagramReader(socket, 1500, queue: 16, clock, stats);
        using var stop = new CancellationTokenSource();
        var reading = reader.RunAsync(stop.Token);

        // Three packets 20 ms and 5 ms apart; nothing processes them until 300 ms after the last.
        await SendAndWaitQueuedAsync(sender, socket, reader, Build(1, 0, transportSeq: 1), queued: 1);
        clock.Advance(TimeSpan.FromMilliseconds(20));
        await SendAndWaitQueuedAsync(sender, socket, reader, Build(2, 3000, transportSeq: 2), queued: 2);
        clock.Advance(TimeSpan.FromMilliseconds(5));
        await SendAndWaitQueuedAsync(sender, socket, reader, Build(3, 6000, transportSeq: 3), queued: 3);
        clock.Advance(TimeSpan.FromMilliseconds(300));

        var twcc = new TwccFeedbackGenerator(new TwccFeedbackOptions(), Context(clock));
        twcc.BindRemoteStream(Video("transport-cc"));
        for (var i = 0; i < 3; i++)
        {
            Assert.True(reader.Datagrams.TryRead(out var datagram));
            Assert.True(RtpHeader.TryRead(datagram.Span, out var header, out _, out _));
            // Processing happens now, 300 ms late; the stamp it carries is what counts.
            twcc.OnRtpReceived(header, datagram.Span, datagram.Arrival);
            DatagramReader.Return(datagram);
        }
        var writer = new RecordingRtcpWriter();
        twcc.OnTick(clock.GetUtcNow(), writer);

        var feedback = writer.Reparse<TransportLayerCc>(0);
        Assert.Equal([new TwccPacketArrival(1, 0), new TwccPacketArrival(2, 20_000), new TwccPacketArrival(3, 25_000)], feedback.GetPacketResults());
        await stop.CancelAsync();
        await reading;
        Assert.True(reader.Datagrams.Completion.IsCompleted);
    }

    [Fact]
    public async Task A_full_queue_drops_the_datagram_and_counts_it_naming_the_setting()
    {
        var clock = new ManualTimeProvider(T0);
        using var socket = Bound();
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var stats = new WebRtcPeerStats();
        var reader = new DatagramReader(socket, 1500, queue: 2, clock, stats);
        using var stop = new CancellationTokenSource();
        var reading = reader.RunAsync(stop.Token);

        await SendAndWaitQueuedAsync(sender, socket, reader, [1], queued: 1);
        await SendAndWaitQueuedAsync(sender, socket, reader, [2], queued: 2);
        var rejected = ("udp", "receive-queue-full (WebRtc:ReceiveQueueDatagrams)");
        await sender.SendToAsync(new byte[] { 3 }, SocketFlags.None, socket.LocalEndPoint!);
        var deadline = DateTime.UtcNow + Patience;
        while (!stats.Rejected.ContainsKey(rejected) && DateTime.UtcNow < deadline) await Task.Delay(5);

        Assert.Equal(1, stats.Rejected.GetValueOrDefault(rejected));
        Assert.True(reader.Datagrams.TryRead(out var first));
        Assert.Equal(1, first.Span[0]);
        DatagramReader.Return(first);
        await stop.CancelAsync();
        await reading;
        reader.Discard();
        Assert.False(reader.Datagrams.TryRead(out _));
    }

    private static Socket Bound()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    private static async Task SendAndWaitQueuedAsync(Socket sender, Socket target, DatagramReader reader, byte[] datagram, int queued)
    {
        await sender.SendToAsync(datagram, SocketFlags.None, target.LocalEndPoint!);
        var deadline = DateTime.UtcNow + Patience;
        while (reader.Datagrams.Count < queued)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the reader did not queue datagram {queued}");
            await Task.Delay(1);
        }
    }
}
