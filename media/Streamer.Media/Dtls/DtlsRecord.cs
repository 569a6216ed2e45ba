namespace Streamer.Media.Dtls;

/// <summary>
/// Classifies and checks datagrams on a socket shared by STUN, DTLS and SRTP.
/// </summary>
public static class DtlsRecord
{
    // RFC 7983 7: 0..3 STUN, 16..19 ZRTP, 20..63 DTLS, 64..79 TURN channel, 128..191 RTP/RTCP.
    private const byte FirstDtlsByte = 20;
    private const byte LastDtlsByte = 63;

    /// <summary>True when the datagram's first byte falls in the DTLS range 20..63 (RFC 7983).</summary>
    public static bool LooksLikeDtls(ReadOnlySpan<byte> datagram) =>
        !datagram.IsEmpty && datagram[0] is >= FirstDtlsByte and <= LastDtlsByte;

    /// <summary>
    /// True when the datagram is one or more whole DTLS records back to back (RFC 6347 4.1.1:
    /// records never span datagrams). Anything else is junk that would only confuse the record
    /// layer, which otherwise keeps a torn tail as the start of the next record.
    /// </summary>
    public static bool TryValidateDatagram(ReadOnlySpan<byte> datagram, out int recordCount, out ParseError error)
    {
        recordCount = 0;
        if (datagram.IsEmpty)
        {
            error = ParseError.TooShort;
            return false;
        }

        while (!datagram.IsEmpty)
        {
            if (!DtlsRecordHeader.TryUnmarshal(datagram, out DtlsRecordHeader header, out error))
            {
                recordCount = 0;
                return false;
            }
            datagram = datagram[(DtlsRecordHeader.Size + header.Length)..];
            recordCount++;
        }

        error = ParseError.None;
        return true;
    }
}
