namespace Streamer.Media.Rtp;

/// <summary>Separates RTP from RTCP on one port (rtcp-mux, RFC 5761 section 4).</summary>
public static class RtpDemux
{
    private const int MinimumLength = 2;
    private const int RtcpPayloadTypeLow = 64;
    private const int RtcpPayloadTypeHigh = 95;

    /// <summary>
    /// True when the second byte, with the marker bit masked off, is 64-95: RTCP packet types
    /// 192-223 fall there and RTP payload types must avoid it when muxed.
    /// </summary>
    public static bool IsRtcp(ReadOnlySpan<byte> packet)
    {
        if (packet.Length < MinimumLength)
        {
            return false;
        }
        int payloadType = packet[1] & 0x7F;
        return payloadType is >= RtcpPayloadTypeLow and <= RtcpPayloadTypeHigh;
    }
}
