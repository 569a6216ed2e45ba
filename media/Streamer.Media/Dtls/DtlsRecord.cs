namespace Streamer.Media.Dtls;

/// <summary>
/// Classifies datagrams on a socket shared by STUN, DTLS and SRTP (RFC 7983 section 7):
/// the first byte alone tells them apart.
/// </summary>
public static class DtlsRecord
{
    // RFC 7983: 0..3 STUN, 16..19 ZRTP, 20..63 DTLS, 64..79 TURN channel, 128..191 RTP/RTCP.
    private const byte FirstDtlsByte = 20;
    private const byte LastDtlsByte = 63;

    /// <summary>True when the datagram's first byte falls in the DTLS range 20..63.</summary>
    public static bool LooksLikeDtls(ReadOnlySpan<byte> datagram) =>
        !datagram.IsEmpty && datagram[0] is >= FirstDtlsByte and <= LastDtlsByte;
}
