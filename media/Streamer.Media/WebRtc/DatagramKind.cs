namespace Streamer.Media.WebRtc;

/// <summary>What a datagram on the shared ICE/DTLS/SRTP socket is, by its first byte (RFC 7983).</summary>
public enum DatagramKind
{
    Unknown,
    Stun,
    Dtls,
    Rtp,
    Rtcp,
}

public static class DatagramClassifier
{
    /*
                     +----------------+
                     |        [0..3] -+--> forward to STUN
                     |                |
                     |      [16..19] -+--> forward to ZRTP
                     |                |
         packet -->  |      [20..63] -+--> forward to DTLS
                     |                |
                     |      [64..79] -+--> forward to TURN Channel
                     |                |
                     |    [128..191] -+--> forward to RTP/RTCP
                     +----------------+
    */
    public static DatagramKind Classify(ReadOnlySpan<byte> datagram)
    {
        if (datagram.IsEmpty) return DatagramKind.Unknown;
        var first = datagram[0];
        return first switch
        {
            <= 3 => DatagramKind.Stun,
            >= 20 and <= 63 => DatagramKind.Dtls,
            >= 128 and <= 191 => Rtp.RtpDemux.IsRtcp(datagram) ? DatagramKind.Rtcp : DatagramKind.Rtp,
            _ => DatagramKind.Unknown,
        };
    }
}
