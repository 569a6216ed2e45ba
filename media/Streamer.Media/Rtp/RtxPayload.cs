using System.Buffers.Binary;

namespace Streamer.Media.Rtp;

/// <summary>
/// The payload of an RTP retransmission packet (RFC 4588 section 4): the original sequence
/// number, then the original packet's payload. The RTX packet's own header carries the RTX
/// payload type, the RTX SSRC and the RTX stream's sequence number; restoring the original
/// packet swaps those three back and drops the OSN.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         RTP Header                            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |            OSN                |                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               |
/// |                  Original RTP Packet Payload                  |
/// |                                                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// A packet with nothing after the OSN, or with no payload at all, is padding a sender uses to
/// probe bandwidth (libwebrtc sends it on the RTX stream); it restores nothing.
/// </summary>
public readonly ref struct RtxPayload
{
    public const int OsnSize = 2;

    private const int PaddingFlag = 0x20;
    private const int MarkerFlag = 0x80;
    private const int PayloadTypeOffset = 1;
    private const int SequenceOffset = 2;
    private const int SsrcOffset = 8;

    public RtxPayload(ushort originalSequenceNumber, ReadOnlySpan<byte> originalPayload)
    {
        OriginalSequenceNumber = originalSequenceNumber;
        OriginalPayload = originalPayload;
    }

    /// <summary>The OSN: the sequence number of the packet being resent.</summary>
    public ushort OriginalSequenceNumber { get; }

    public ReadOnlySpan<byte> OriginalPayload { get; }

    /// <summary>True for bandwidth-probing padding: nothing of an original packet to restore.</summary>
    public bool IsPaddingOnly => OriginalPayload.IsEmpty;

    public int MarshalSize => OsnSize + OriginalPayload.Length;

    /// <summary>Writes the OSN and the original payload (what goes after an RTX packet's header).</summary>
    public int MarshalTo(Span<byte> destination)
    {
        if (destination.Length < MarshalSize)
        {
            throw new ArgumentException("Destination too small.", nameof(destination));
        }
        BinaryPrimitives.WriteUInt16BigEndian(destination, OriginalSequenceNumber);
        OriginalPayload.CopyTo(destination[OsnSize..]);
        return MarshalSize;
    }

    /// <summary>
    /// Reads an RTX payload (the RTP payload with padding already removed). An empty payload is
    /// padding only; a single byte cannot hold the OSN and is <see cref="ParseError.TooShort"/>.
    /// </summary>
    public static bool TryUnmarshal(ReadOnlySpan<byte> payload, out RtxPayload rtx, out ParseError error)
    {
        rtx = default;
        if (payload.IsEmpty)
        {
            error = ParseError.None;
            return true;
        }
        if (payload.Length < OsnSize)
        {
            error = ParseError.TooShort;
            return false;
        }
        rtx = new RtxPayload(BinaryPrimitives.ReadUInt16BigEndian(payload), payload[OsnSize..]);
        error = ParseError.None;
        return true;
    }

    /// <summary>Size of the original packet restored from an RTX packet with header <paramref name="rtxHeader"/>.</summary>
    public int RestoredSize(in RtpHeader rtxHeader) => rtxHeader.PayloadOffset + OriginalPayload.Length;

    /// <summary>
    /// Writes the original packet: the RTX packet's header (CSRCs and extensions kept) with the
    /// original payload type, SSRC and sequence number, the padding flag cleared, then the
    /// original payload. <paramref name="rtxPacket"/> is the packet <paramref name="rtxHeader"/>
    /// was read from, so the header bytes are known to be valid.
    /// </summary>
    public int RestoreTo(ReadOnlySpan<byte> rtxPacket, in RtpHeader rtxHeader, byte originalPayloadType, uint originalSsrc, Span<byte> destination)
    {
        int size = RestoredSize(rtxHeader);
        if (destination.Length < size)
        {
            throw new ArgumentException("Destination too small.", nameof(destination));
        }
        if (rtxPacket.Length < rtxHeader.PayloadOffset)
        {
            throw new ArgumentException("The packet is shorter than its header.", nameof(rtxPacket));
        }
        int headerLength = rtxHeader.PayloadOffset;
        rtxPacket[..headerLength].CopyTo(destination);
        destination[0] = (byte)(destination[0] & ~PaddingFlag);
        destination[PayloadTypeOffset] = (byte)((destination[PayloadTypeOffset] & MarkerFlag) | (originalPayloadType & 0x7F));
        BinaryPrimitives.WriteUInt16BigEndian(destination[SequenceOffset..], OriginalSequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(destination[SsrcOffset..], originalSsrc);
        OriginalPayload.CopyTo(destination[headerLength..]);
        return size;
    }
}
