using Streamer.Media.Interceptors;
using Streamer.Media.Rtcp;
using static Streamer.Media.Tests.Interceptors.InterceptorTestKit;

namespace Streamer.Media.Tests.Interceptors;

public class KeyframeRequesterTests
{
    [Fact]
    public void Pli_is_rate_limited_per_stream()
    {
        var time = new ManualTimeProvider(T0);
        var requester = new KeyframeRequester(new KeyframeRequesterOptions { MinInterval = TimeSpan.FromMilliseconds(500) }, Context(time));
        var writer = new RecordingRtcpWriter();
        requester.BindRtcpWriter(writer);
        requester.BindRemoteStream(Video("nack", "nack pli", "ccm fir"));

        requester.RequestKeyframe(RemoteSsrc);
        time.Advance(TimeSpan.FromMilliseconds(100));
        requester.RequestKeyframe(RemoteSsrc);
        time.Advance(TimeSpan.FromMilliseconds(400));
        requester.RequestKeyframe(RemoteSsrc);

        Assert.Equal(2, writer.Packets.Count);
        var pli = writer.Reparse<PictureLossIndication>(0);
        Assert.Equal(LocalSsrc, pli.SenderSsrc);
        Assert.Equal(RemoteSsrc, pli.MediaSsrc);
        Assert.Equal(3, requester.Stats.Requests);
        Assert.Equal(2, requester.Stats.PliSent);
        Assert.Equal(1, requester.Stats.RateLimited);
    }

    [Fact]
    public void Uses_fir_with_increasing_sequence_when_only_ccm_fir_is_negotiated()
    {
        var time = new ManualTimeProvider(T0);
        var requester = new KeyframeRequester(new KeyframeRequesterOptions(), Context(time));
        var writer = new RecordingRtcpWriter();
        requester.BindRtcpWriter(writer);
        requester.BindRemoteStream(Video("ccm fir"));

        requester.RequestKeyframe(RemoteSsrc);
        time.Advance(TimeSpan.FromSeconds(1));
        requester.RequestKeyframe(RemoteSsrc);

        Assert.Equal(new FirEntry(RemoteSsrc, 0), Assert.Single(writer.Reparse<FullIntraRequest>(0).Entries));
        Assert.Equal(new FirEntry(RemoteSsrc, 1), Assert.Single(writer.Reparse<FullIntraRequest>(1).Entries));
        Assert.Equal(2, requester.Stats.FirSent);
    }

    [Fact]
    public void Queues_until_tick_when_no_writer_is_bound_and_ignores_unknown_streams()
    {
        var requester = new KeyframeRequester(new KeyframeRequesterOptions(), Context());
        requester.BindRemoteStream(Video("nack pli"));
        requester.RequestKeyframe(RemoteSsrc);
        requester.RequestKeyframe(12345);
        var writer = new RecordingRtcpWriter();
        requester.OnTick(T0, writer);
        Assert.IsType<PictureLossIndication>(Assert.Single(writer.Packets));
        Assert.Equal(1, requester.Stats.Requests);
    }
}
