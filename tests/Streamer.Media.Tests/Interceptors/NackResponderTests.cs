using Streamer.Media.Interceptors;
using Streamer.Media.Rtcp;
using Streamer.Media.Rtp;
using static Streamer.Media.Tests.Interceptors.InterceptorTestKit;

namespace Streamer.Media.Tests.Interceptors;

public class NackResponderTests
{
    private sealed class RecordingRtpWriter : IRtpWriter
    {
        public List<byte[]> Packets { get; } = [];

        public void Write(ReadOnlySpan<byte> packet) => Packets.Add(packet.ToArray());
    }

    [Fact]
    public void Resends_requested_packets_from_bounded_history()
    {
        var responder = new NackResponder(new NackResponderOptions { HistorySize = 4 });
        var rtp = new RecordingRtpWriter();
        responder.BindRtpWriter(rtp);
        responder.BindLocalStream(new StreamInfo { Ssrc = LocalSsrc, ClockRate = 90000, RtcpFeedback = ["nack"] });
        var sent = new List<byte[]>();
        for (ushort seq = 1; seq <= 6; seq++)
        {
            var raw = Build(seq, seq * 3000u, ssrc: LocalSsrc);
            sent.Add(raw);
            Assert.True(RtpHeader.TryRead(raw, out var header, out _, out _));
            responder.OnRtpSent(header, raw, T0);
        }

        // 5 is in the history; 1 was overwritten by 5 (history of 4); 9 was never sent.
        responder.OnRtcpReceived(TransportLayerNack.FromSequenceNumbers(RemoteSsrc, LocalSsrc, [1, 5, 9]), T0);

        Assert.Equal(sent[4], Assert.Single(rtp.Packets));
        Assert.Equal(1, responder.Stats.Retransmitted);
        Assert.Equal(2, responder.Stats.Missing);
    }

    [Fact]
    public void Rejects_history_size_that_is_not_a_power_of_two() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new NackResponder(new NackResponderOptions { HistorySize = 1000 }));
}
