using Streamer.Media.Rtcp;
using Streamer.Media.Rtp;

namespace Streamer.Media.Interceptors;

/// <summary>
/// A feature that watches RTP/RTCP flowing through a connection and writes RTCP of its own
/// (pion/interceptor style). Every hook is a no-op, so an interceptor overrides only what it
/// uses. The connection calls the hooks; hooks may come from different threads (receive loop,
/// timer, decoder), so implementations guard their state.
/// </summary>
public abstract class Interceptor
{
    /// <summary>Called once, before streams bind, with the writer for RTCP sent outside ticks.</summary>
    public virtual void BindRtcpWriter(IRtcpWriter writer)
    {
    }

    /// <summary>Called once with the writer used to (re)send RTP, for responders.</summary>
    public virtual void BindRtpWriter(IRtpWriter writer)
    {
    }

    /// <summary>A stream the remote peer sends to us.</summary>
    public virtual void BindRemoteStream(StreamInfo info)
    {
    }

    public virtual void UnbindRemoteStream(uint ssrc)
    {
    }

    /// <summary>A stream we send to the remote peer.</summary>
    public virtual void BindLocalStream(StreamInfo info)
    {
    }

    public virtual void UnbindLocalStream(uint ssrc)
    {
    }

    /// <summary>An RTP packet arrived (already decrypted); <paramref name="rawPacket"/> is the whole packet.</summary>
    public virtual void OnRtpReceived(in RtpHeader header, ReadOnlySpan<byte> rawPacket, DateTimeOffset arrival)
    {
    }

    /// <summary>
    /// An original packet restored from a retransmission (RFC 4588 RTX). It takes the received path
    /// unless an interceptor must tell the two apart.
    /// </summary>
    public virtual void OnRtpRestored(in RtpHeader header, ReadOnlySpan<byte> rawPacket, DateTimeOffset arrival) =>
        OnRtpReceived(header, rawPacket, arrival);

    public virtual void OnRtcpReceived(IRtcpPacket packet, DateTimeOffset arrival)
    {
    }

    /// <summary>An RTP packet is about to go out (before encryption).</summary>
    public virtual void OnRtpSent(in RtpHeader header, ReadOnlySpan<byte> rawPacket, DateTimeOffset sent)
    {
    }

    /// <summary>Periodic work (every 20-50 ms): reports and feedback are written here.</summary>
    public virtual void OnTick(DateTimeOffset now, IRtcpWriter writer)
    {
    }

    /// <summary>The decoder needs a keyframe for remote stream <paramref name="ssrc"/>.</summary>
    public virtual void RequestKeyframe(uint ssrc)
    {
    }
}
