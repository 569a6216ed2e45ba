using Streamer.Media.Interceptors;
using Streamer.Media.Rtcp;
using static Streamer.Media.Tests.Interceptors.InterceptorTestKit;

namespace Streamer.Media.Tests.Interceptors;

public class DefaultInterceptorsTests
{
    [Fact]
    public void Chain_runs_only_the_features_a_stream_negotiated()
    {
        var registry = new InterceptorRegistry();
        DefaultInterceptors.Register(registry, new DefaultInterceptorOptions());
        var chain = registry.Build(Context());
        Assert.Equal(6, chain.Interceptors.Count);
        var writer = new RecordingRtcpWriter();
        chain.BindRtcpWriter(writer);

        // Negotiated NACK and PLI but not transport-cc.
        chain.BindRemoteStream(Video("nack", "nack pli"));
        Receive(chain, 1, 0, T0, transportSeq: 1);
        Receive(chain, 3, 6000, T0.AddMilliseconds(66), transportSeq: 2);
        chain.OnTick(T0.AddSeconds(1), writer);
        chain.RequestKeyframe(RemoteSsrc);

        Assert.Contains(writer.Packets, p => p is TransportLayerNack);
        Assert.Contains(writer.Packets, p => p is ReceiverReport);
        Assert.Contains(writer.Packets, p => p is PictureLossIndication);
        Assert.DoesNotContain(writer.Packets, p => p is TransportLayerCc);
        Assert.Equal(1, chain.Find<NackGenerator>()!.Stats.NacksSent);
    }
}
