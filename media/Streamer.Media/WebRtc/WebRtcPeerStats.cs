using System.Collections.Concurrent;

namespace Streamer.Media.WebRtc;

/// <summary>Counters of one peer; rejected packets are counted by protocol and reason.</summary>
public sealed class WebRtcPeerStats
{
    private readonly ConcurrentDictionary<(string Protocol, string Reason), long> _rejected = new();
    private long _datagrams, _bytes, _rtp, _rtcp, _stun, _dtls, _videoFrames, _audioFrames, _videoFramesDropped, _rtcpSent, _rtpSent, _rtpRetransmitted, _videoBytes;
    private long _rtxReceived, _rtxRecovered, _rtxPadding;

    public long Datagrams => Interlocked.Read(ref _datagrams);
    public long Bytes => Interlocked.Read(ref _bytes);
    public long RtpPackets => Interlocked.Read(ref _rtp);
    public long RtcpPackets => Interlocked.Read(ref _rtcp);
    public long StunPackets => Interlocked.Read(ref _stun);
    public long DtlsDatagrams => Interlocked.Read(ref _dtls);
    public long VideoFrames => Interlocked.Read(ref _videoFrames);
    public long AudioFrames => Interlocked.Read(ref _audioFrames);
    public long VideoFramesDropped => Interlocked.Read(ref _videoFramesDropped);

    /// <summary>Bytes of the video RTP packets accepted (after SRTP, headers included): the received video bitrate's counter.</summary>
    public long VideoBytes => Interlocked.Read(ref _videoBytes);
    public long RtcpSent => Interlocked.Read(ref _rtcpSent);

    /// <summary>RTP packets sent (spoken audio), and resent on a NACK.</summary>
    public long RtpSent => Interlocked.Read(ref _rtpSent);
    public long RtpRetransmitted => Interlocked.Read(ref _rtpRetransmitted);

    /// <summary>RTX packets received with an original packet inside, restored and given to the jitter buffer.</summary>
    public long RetransmissionsReceived => Interlocked.Read(ref _rtxReceived);

    /// <summary>Restored retransmissions that filled a gap; the rest were duplicates or came too late.</summary>
    public long RetransmissionsRecovered => Interlocked.Read(ref _rtxRecovered);

    /// <summary>Padding-only RTX packets (bandwidth probes), dropped after congestion feedback saw them.</summary>
    public long RtxPaddingPackets => Interlocked.Read(ref _rtxPadding);

    /// <summary>NACKs sent, packets recovered after a NACK, and PLI/FIR keyframe requests sent; read from the interceptors.</summary>
    public long NacksSent { get; internal set; }
    public long PacketsRecovered { get; internal set; }

    /// <summary>Sequence numbers asked for in NACKs (each retry counts), and gaps the NACK generator gave up on.</summary>
    public long NackedSequenceNumbers { get; internal set; }
    public long NackGivenUp { get; internal set; }
    public long KeyframeRequestsSent { get; internal set; }

    /// <summary>
    /// Video packets lost on the way (RFC 3550 A.3: those repaired by retransmission count as lost, see
    /// <see cref="RetransmissionsRecovered"/>), and the video's interarrival jitter (A.8).
    /// </summary>
    public long VideoPacketsLost { get; internal set; }
    public double VideoJitterMs { get; internal set; }

    /// <summary>Frames the jitter buffer gave up (missing packets, bad content) or skipped while waiting for a keyframe.</summary>
    public long JitterFramesDropped { get; internal set; }

    public IReadOnlyDictionary<(string Protocol, string Reason), long> Rejected => _rejected;

    public long RejectedTotal => _rejected.Values.Sum();

    internal void Datagram(int length)
    {
        Interlocked.Increment(ref _datagrams);
        Interlocked.Add(ref _bytes, length);
    }

    internal void Rtp() => Interlocked.Increment(ref _rtp);
    internal void VideoRtp(int length) => Interlocked.Add(ref _videoBytes, length);
    internal void Rtcp() => Interlocked.Increment(ref _rtcp);
    internal void Stun() => Interlocked.Increment(ref _stun);
    internal void Dtls() => Interlocked.Increment(ref _dtls);
    internal void VideoFrame() => Interlocked.Increment(ref _videoFrames);
    internal void AudioFrame() => Interlocked.Increment(ref _audioFrames);
    internal void VideoFrameDropped() => Interlocked.Increment(ref _videoFramesDropped);
    internal void RetransmissionReceived(bool recovered)
    {
        Interlocked.Increment(ref _rtxReceived);
        if (recovered) Interlocked.Increment(ref _rtxRecovered);
        WebRtcMetrics.Retransmissions.Add(1, new KeyValuePair<string, object?>("outcome", recovered ? "recovered" : "duplicate"));
    }

    internal void RtxPadding()
    {
        Interlocked.Increment(ref _rtxPadding);
        WebRtcMetrics.Retransmissions.Add(1, new KeyValuePair<string, object?>("outcome", "padding"));
    }

    internal void RtcpSentOne() => Interlocked.Increment(ref _rtcpSent);
    internal void RtpSentOne(bool retransmission) => Interlocked.Increment(ref retransmission ? ref _rtpRetransmitted : ref _rtpSent);

    internal void Reject(string protocol, string reason)
    {
        _rejected.AddOrUpdate((protocol, reason), 1, (_, n) => n + 1);
        WebRtcMetrics.PacketsRejected.Add(1, new("protocol", protocol), new("reason", reason));
    }
}
