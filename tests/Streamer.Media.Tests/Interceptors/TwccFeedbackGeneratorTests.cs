using Streamer.Media.Interceptors;
using Streamer.Media.Rtcp;
using static Streamer.Media.Tests.Interceptors.InterceptorTestKit;

namespace Streamer.Media.Tests.Interceptors;

public class TwccFeedbackGeneratorTests
{
    [Fact]
    public void Feedback_round_trips_with_statuses_deltas_and_increasing_count()
    {
        var twcc = new TwccFeedbackGenerator(new TwccFeedbackOptions(), Context());
        twcc.BindRemoteStream(Video("transport-cc"));
        var writer = new RecordingRtcpWriter();

        Receive(twcc, 100, 0, T0, transportSeq: 1);
        Receive(twcc, 101, 0, T0.AddMilliseconds(10), transportSeq: 2);
        Receive(twcc, 102, 0, T0.AddMilliseconds(25.5), transportSeq: 4);
        Receive(twcc, 103, 0, T0.AddMilliseconds(125.5), transportSeq: 5); // +100 ms: large delta
        twcc.OnTick(T0.AddMilliseconds(130), writer);

        var fb = writer.Reparse<TransportLayerCc>(0);
        Assert.Equal(LocalSsrc, fb.SenderSsrc);
        Assert.Equal(RemoteSsrc, fb.MediaSsrc);
        Assert.Equal(1, fb.BaseSequenceNumber);
        Assert.Equal(0, fb.ReferenceTime);
        Assert.Equal(0, fb.FbPktCount);
        Assert.Equal(
            new[] { new TwccPacketArrival(1, 0), new TwccPacketArrival(2, 10_000), new TwccPacketArrival(3, null), new TwccPacketArrival(4, 25_500), new TwccPacketArrival(5, 125_500) },
            fb.GetPacketResults());
        Assert.Equal(
            new[] { TwccPacketStatus.ReceivedSmallDelta, TwccPacketStatus.ReceivedSmallDelta, TwccPacketStatus.ReceivedLargeDelta },
            fb.RecvDeltas.Skip(1).Select(d => d.Type));

        Receive(twcc, 104, 0, T0.AddMilliseconds(140), transportSeq: 6);
        twcc.OnTick(T0.AddMilliseconds(180), writer); // before the interval
        Assert.Single(writer.Packets);
        twcc.OnTick(T0.AddMilliseconds(230), writer);
        var second = writer.Reparse<TransportLayerCc>(1);
        Assert.Equal(1, second.FbPktCount);
        Assert.Equal(6, second.BaseSequenceNumber);
        Assert.Equal(2, second.ReferenceTime); // 140 ms -> 2 x 64 ms
        Assert.Equal(new[] { new TwccPacketArrival(6, 140_000) }, second.GetPacketResults());
        Assert.Equal(2, twcc.Stats.FeedbacksSent);
    }

    [Fact]
    public void A_transport_sequence_number_seen_twice_keeps_its_first_arrival_and_counts_once()
    {
        // An RTX packet and the original restored from it carry the same transport-wide number.
        const uint rtxSsrc = 0x33333333;
        var twcc = new TwccFeedbackGenerator(new TwccFeedbackOptions(), Context());
        twcc.BindRemoteStream(Video("transport-cc"));
        twcc.BindRemoteStream(Video("transport-cc") with { Ssrc = rtxSsrc, PayloadType = 97, MimeType = "video/rtx" });
        var writer = new RecordingRtcpWriter();

        Receive(twcc, 1, 0, T0, transportSeq: 1);
        Receive(twcc, 7, 0, T0.AddMilliseconds(20), transportSeq: 2, ssrc: rtxSsrc);
        Receive(twcc, 2, 0, T0.AddMilliseconds(30), transportSeq: 2);
        twcc.OnTick(T0.AddMilliseconds(40), writer);

        var fb = writer.Reparse<TransportLayerCc>(0);
        Assert.Equal(new[] { new TwccPacketArrival(1, 0), new TwccPacketArrival(2, 20_000) }, fb.GetPacketResults());
        Assert.Equal(2, twcc.Stats.PacketsRecorded);
    }

    [Fact]
    public void Packets_lost_between_feedbacks_are_reported_in_the_next()
    {
        var twcc = new TwccFeedbackGenerator(new TwccFeedbackOptions(), Context());
        twcc.BindRemoteStream(Video("transport-cc"));
        var writer = new RecordingRtcpWriter();
        Receive(twcc, 1, 0, T0, transportSeq: 10);
        twcc.OnTick(T0, writer);
        Receive(twcc, 2, 0, T0.AddMilliseconds(50), transportSeq: 13);
        twcc.OnTick(T0.AddMilliseconds(100), writer);
        var fb = writer.Reparse<TransportLayerCc>(1);
        Assert.Equal(11, fb.BaseSequenceNumber);
        Assert.Equal(new long?[] { null, null, 50_000 }, fb.GetPacketResults().Select(r => r.ArrivalMicroseconds));
    }

    [Fact]
    public void Stream_without_transport_cc_is_ignored()
    {
        var twcc = new TwccFeedbackGenerator(new TwccFeedbackOptions(), Context());
        twcc.BindRemoteStream(Video("nack"));
        var writer = new RecordingRtcpWriter();
        Receive(twcc, 1, 0, T0, transportSeq: 1);
        twcc.OnTick(T0.AddSeconds(1), writer);
        Assert.Empty(writer.Packets);
    }
}
