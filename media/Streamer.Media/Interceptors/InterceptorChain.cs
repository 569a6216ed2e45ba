using Streamer.Media.Rtcp;
using Streamer.Media.Rtp;

namespace Streamer.Media.Interceptors;

/// <summary>Fans every hook out to a list of interceptors, in order.</summary>
public sealed class InterceptorChain : Interceptor
{
    private readonly Interceptor[] interceptors;

    public InterceptorChain(IEnumerable<Interceptor> interceptors)
    {
        this.interceptors = [.. interceptors];
    }

    public IReadOnlyList<Interceptor> Interceptors => interceptors;

    /// <summary>The first interceptor of type <typeparamref name="T"/>, for metrics and clock lookups.</summary>
    public T? Find<T>() where T : Interceptor => interceptors.OfType<T>().FirstOrDefault();

    public override void BindRtcpWriter(IRtcpWriter writer)
    {
        foreach (var i in interceptors)
        {
            i.BindRtcpWriter(writer);
        }
    }

    public override void BindRtpWriter(IRtpWriter writer)
    {
        foreach (var i in interceptors)
        {
            i.BindRtpWriter(writer);
        }
    }

    public override void BindRemoteStream(StreamInfo info)
    {
        foreach (var i in interceptors)
        {
            i.BindRemoteStream(info);
        }
    }

    public override void UnbindRemoteStream(uint ssrc)
    {
        foreach (var i in interceptors)
        {
            i.UnbindRemoteStream(ssrc);
        }
    }

    public override void BindLocalStream(StreamInfo info)
    {
        foreach (var i in interceptors)
        {
            i.BindLocalStream(info);
        }
    }

    public override void UnbindLocalStream(uint ssrc)
    {
        foreach (var i in interceptors)
        {
            i.UnbindLocalStream(ssrc);
        }
    }

    public override void OnRtpReceived(in RtpHeader header, ReadOnlySpan<byte> rawPacket, DateTimeOffset arrival)
    {
        foreach (var i in interceptors)
        {
            i.OnRtpReceived(header, rawPacket, arrival);
        }
    }

    public override void OnRtpRestored(in RtpHeader header, ReadOnlySpan<byte> rawPacket, DateTimeOffset arrival)
    {
        foreach (var i in interceptors)
        {
            i.OnRtpRestored(header, rawPacket, arrival);
        }
    }

    public override void OnRtcpReceived(IRtcpPacket packet, DateTimeOffset arrival)
    {
        foreach (var i in interceptors)
        {
            i.OnRtcpReceived(packet, arrival);
        }
    }

    public override void OnRtpSent(in RtpHeader header, ReadOnlySpan<byte> rawPacket, DateTimeOffset sent)
    {
        foreach (var i in interceptors)
        {
            i.OnRtpSent(header, rawPacket, sent);
        }
    }

    public override void OnTick(DateTimeOffset now, IRtcpWriter writer)
    {
        foreach (var i in interceptors)
        {
            i.OnTick(now, writer);
        }
    }

    public override void RequestKeyframe(uint ssrc)
    {
        foreach (var i in interceptors)
        {
            i.RequestKeyframe(ssrc);
        }
    }
}
