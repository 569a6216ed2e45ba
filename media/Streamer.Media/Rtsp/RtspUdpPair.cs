using System.Net;
using System.Net.Sockets;

namespace Streamer.Media.Rtsp;

/// <summary>An RTP socket on an even port and its RTCP socket on the next one (RFC 3550 section 11).</summary>
internal sealed class RtspUdpPair : IDisposable
{
    private const int MaxAttempts = 32;

    private RtspUdpPair(Socket rtp, Socket rtcp)
    {
        Rtp = rtp;
        Rtcp = rtcp;
    }

    public Socket Rtp { get; }

    public Socket Rtcp { get; }

    public int RtpPort => ((IPEndPoint)Rtp.LocalEndPoint!).Port;

    public int RtcpPort => ((IPEndPoint)Rtcp.LocalEndPoint!).Port;

    /// <summary>Binds a pair on <paramref name="address"/>, trying ephemeral ports until an even one has its odd neighbour free.</summary>
    public static RtspUdpPair Bind(IPAddress address)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var rtp = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            rtp.Bind(new IPEndPoint(address, 0));
            var port = ((IPEndPoint)rtp.LocalEndPoint!).Port;
            if (port % 2 != 0 || port == IPEndPoint.MaxPort)
            {
                rtp.Dispose();
                continue;
            }
            var rtcp = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                rtcp.Bind(new IPEndPoint(address, port + 1));
                // Camera bursts of a keyframe overflow the default receive buffer.
                rtp.ReceiveBufferSize = 4 * 1024 * 1024;
                return new RtspUdpPair(rtp, rtcp);
            }
            catch (SocketException)
            {
                rtp.Dispose();
                rtcp.Dispose();
            }
        }
        throw new RtspException(RtspError.BadTransport, $"no free UDP port pair on {address}");
    }

    public void Dispose()
    {
        Rtp.Dispose();
        Rtcp.Dispose();
    }
}
