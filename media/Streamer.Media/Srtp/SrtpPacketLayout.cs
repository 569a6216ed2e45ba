using System.Buffers.Binary;

namespace Streamer.Media.Srtp;

/// <summary>
/// The few RTP and RTCP header fields SRTP needs: where the encrypted part starts, the
/// sequence number and the SSRC. Full parsing belongs to the Rtp and Rtcp folders.
/// <code>
/// RTP (RFC 3550 section 5.1):
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|X|  CC   |M|     PT      |       sequence number         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                           timestamp                           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                             SSRC                              |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |                    CSRC list (CC words)                       |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |   extension profile (if X)    |   extension length (words)    |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                    extension (length words)                   |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |          payload (encrypted) ... padding (encrypted)          |
///
/// RTCP (RFC 3550 section 6.4): the first 8 octets stay clear.
/// |V=2|P|    RC   |      PT       |            length             |
/// |                     SSRC of packet sender                     |
/// </code>
/// </summary>
internal static class SrtpPacketLayout
{
    public const int RtpFixedHeaderLength = 12;
    public const int RtcpHeaderLength = 8;
    private const int VersionShift = 6;
    private const byte Version = 2;
    private const byte ExtensionBit = 0x10;
    private const byte CsrcCountMask = 0x0F;
    private const int SequenceOffset = 2;
    private const int RtpSsrcOffset = 8;
    private const int RtcpSsrcOffset = 4;
    private const int ExtensionHeaderLength = 4;
    private const int ExtensionLengthOffset = 2;
    private const int WordLength = 4;

    /// <summary>Reads the RTP header of <paramref name="packet"/>, whose last <paramref name="trailerLength"/> bytes are not RTP.</summary>
    public static bool TryReadRtp(ReadOnlySpan<byte> packet, int trailerLength, out int headerLength, out ushort sequence, out uint ssrc, out ParseError error)
    {
        headerLength = 0;
        sequence = 0;
        ssrc = 0;
        if (packet.Length < RtpFixedHeaderLength + trailerLength)
        {
            error = ParseError.TooShort;
            return false;
        }

        if (packet[0] >> VersionShift != Version)
        {
            error = ParseError.BadVersion;
            return false;
        }

        var length = RtpFixedHeaderLength + (packet[0] & CsrcCountMask) * WordLength;
        if ((packet[0] & ExtensionBit) != 0)
        {
            if (packet.Length < length + ExtensionHeaderLength + trailerLength)
            {
                error = ParseError.TooShort;
                return false;
            }

            length += ExtensionHeaderLength + BinaryPrimitives.ReadUInt16BigEndian(packet[(length + ExtensionLengthOffset)..]) * WordLength;
        }

        if (packet.Length < length + trailerLength)
        {
            error = ParseError.TooShort;
            return false;
        }

        headerLength = length;
        sequence = BinaryPrimitives.ReadUInt16BigEndian(packet[SequenceOffset..]);
        ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[RtpSsrcOffset..]);
        error = ParseError.None;
        return true;
    }

    /// <summary>Reads the sender SSRC of an RTCP packet followed by <paramref name="trailerLength"/> SRTCP bytes.</summary>
    public static bool TryReadRtcp(ReadOnlySpan<byte> packet, int trailerLength, out uint ssrc, out ParseError error)
    {
        ssrc = 0;
        if (packet.Length < RtcpHeaderLength + trailerLength)
        {
            error = ParseError.TooShort;
            return false;
        }

        if (packet[0] >> VersionShift != Version)
        {
            error = ParseError.BadVersion;
            return false;
        }

        ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[RtcpSsrcOffset..]);
        error = ParseError.None;
        return true;
    }
}
