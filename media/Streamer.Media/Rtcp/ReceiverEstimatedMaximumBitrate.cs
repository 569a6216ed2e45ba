using System.Buffers.Binary;

namespace Streamer.Media.Rtcp;

/// <summary>
/// Receiver estimated maximum bitrate (draft-alvestrand-rmcat-remb-03 section 2.2), a PSFB
/// with FMT=15 whose FCI starts with "REMB".
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P| FMT=15  |   PT=206      |             length            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  SSRC of packet sender                        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  SSRC of media source (0)                     |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  Unique identifier 'R' 'E' 'M' 'B'                            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  Num SSRC     | BR Exp    |  BR Mantissa                      |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |   SSRC feedback                                               |  (repeated)
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public sealed class ReceiverEstimatedMaximumBitrate : IRtcpPacket
{
    private const int SenderOffset = 0;
    private const int MediaOffset = 4;
    private const int IdentifierOffset = 8;
    private const int CountOffset = 12;
    private const int SsrcsOffset = 16;
    private const uint Identifier = 0x52454D42; // "REMB"
    private const int MantissaBits = 18;
    private const uint MantissaMask = (1u << MantissaBits) - 1;
    private const int MaxExponent = 63;

    public uint SenderSsrc { get; set; }
    /// <summary>Bits per second. Encoding keeps 18 significant bits, so large values round down.</summary>
    public ulong Bitrate { get; set; }
    public uint[] Ssrcs { get; set; } = [];

    /// <summary>True when a PSFB FMT=15 packet carries the REMB identifier.</summary>
    public static bool IsRemb(ReadOnlySpan<byte> packet) =>
        packet.Length >= RtcpHeader.Size + CountOffset
        && BinaryPrimitives.ReadUInt32BigEndian(packet[(RtcpHeader.Size + IdentifierOffset)..]) == Identifier;

    public int MarshalSize => RtcpHeader.Size + SsrcsOffset + (Ssrcs.Length * 4);

    public int MarshalTo(Span<byte> destination)
    {
        if (Ssrcs.Length > byte.MaxValue)
        {
            throw new InvalidOperationException("REMB lists at most 255 SSRCs.");
        }
        int size = MarshalSize;
        RtcpHeader.Write(destination, RtcpFeedbackFormat.ApplicationLayer, RtcpPacketType.PayloadFeedback, size);
        var body = destination[RtcpHeader.Size..size];
        BinaryPrimitives.WriteUInt32BigEndian(body[SenderOffset..], SenderSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(body[MediaOffset..], 0);
        BinaryPrimitives.WriteUInt32BigEndian(body[IdentifierOffset..], Identifier);
        ulong mantissa = Bitrate;
        int exponent = 0;
        while (mantissa > MantissaMask && exponent < MaxExponent)
        {
            mantissa >>= 1;
            exponent++;
        }
        uint word = ((uint)Ssrcs.Length << 24) | ((uint)exponent << MantissaBits) | ((uint)mantissa & MantissaMask);
        BinaryPrimitives.WriteUInt32BigEndian(body[CountOffset..], word);
        for (int i = 0; i < Ssrcs.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(body[(SsrcsOffset + (i * 4))..], Ssrcs[i]);
        }
        return size;
    }

    public static bool TryUnmarshal(ReadOnlySpan<byte> data, out ReceiverEstimatedMaximumBitrate packet, out ParseError error)
    {
        packet = null!;
        if (!RtcpReader.TryReadFeedback(data, RtcpPacketType.PayloadFeedback, RtcpFeedbackFormat.ApplicationLayer, out var body, out error))
        {
            return false;
        }
        if (body.Length < SsrcsOffset)
        {
            error = ParseError.BadLength;
            return false;
        }
        if (BinaryPrimitives.ReadUInt32BigEndian(body[IdentifierOffset..]) != Identifier)
        {
            error = ParseError.BadMagic;
            return false;
        }
        uint word = BinaryPrimitives.ReadUInt32BigEndian(body[CountOffset..]);
        int count = (int)(word >> 24);
        int exponent = (int)((word >> MantissaBits) & 0x3F);
        ulong mantissa = word & MantissaMask;
        if (body.Length < SsrcsOffset + (count * 4))
        {
            error = ParseError.BadLength;
            return false;
        }
        var ssrcs = new uint[count];
        for (int i = 0; i < count; i++)
        {
            ssrcs[i] = BinaryPrimitives.ReadUInt32BigEndian(body[(SsrcsOffset + (i * 4))..]);
        }
        // Exponents past 46 overflow 64 bits; saturate instead of wrapping.
        ulong bitrate = mantissa == 0 ? 0 : exponent > 64 - MantissaBits ? ulong.MaxValue : mantissa << exponent;
        packet = new ReceiverEstimatedMaximumBitrate
        {
            SenderSsrc = BinaryPrimitives.ReadUInt32BigEndian(body[SenderOffset..]),
            Bitrate = bitrate,
            Ssrcs = ssrcs,
        };
        return true;
    }
}
