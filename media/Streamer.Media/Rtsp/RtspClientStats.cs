namespace Streamer.Media.Rtsp;

/// <summary>Counters of one <see cref="RtspClient"/>; read from any thread.</summary>
public sealed class RtspClientStats
{
    private long _bytesReceived;
    private long _rtpPackets;
    private long _rtcpPackets;
    private long _packetsRejected;

    /// <summary>Bytes of RTSP, RTP and RTCP received on the connection and the UDP sockets.</summary>
    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    public long RtpPackets => Interlocked.Read(ref _rtpPackets);

    public long RtcpPackets => Interlocked.Read(ref _rtcpPackets);

    /// <summary>RTP or RTCP packets that did not parse, or came from an unknown channel or address.</summary>
    public long PacketsRejected => Interlocked.Read(ref _packetsRejected);

    internal void AddBytes(int count) => Interlocked.Add(ref _bytesReceived, count);

    internal void AddRtp() => Interlocked.Increment(ref _rtpPackets);

    internal void AddRtcp() => Interlocked.Increment(ref _rtcpPackets);

    internal void AddRejected() => Interlocked.Increment(ref _packetsRejected);
}
