using System.Buffers.Binary;

namespace Streamer.Media.Rtp;

/// <summary>
/// The fixed RTP header plus where its variable parts sit in the packet it was read from
/// (RFC 3550 section 5.1). Reading it never allocates, so the receive path and the
/// interceptors can look at every packet without building an <see cref="RtpPacket"/>.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|X|  CC   |M|     PT      |       sequence number         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                           timestamp                           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |           synchronization source (SSRC) identifier            |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |            contributing source (CSRC) identifiers             |
/// |                             ....                              |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |      defined by profile       |           length              |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                        header extension                       |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public readonly struct RtpHeader
{
    public const int FixedSize = 12;
    public const byte RtpVersion = 2;
    private const int SequenceOffset = 2;
    private const int TimestampOffset = 4;
    private const int SsrcOffset = 8;
    private const int ExtensionHeaderSize = 4;

    public byte Version { get; init; }
    public bool Padding { get; init; }
    public bool HasExtension { get; init; }
    public bool Marker { get; init; }
    public byte PayloadType { get; init; }
    public ushort SequenceNumber { get; init; }
    public uint Timestamp { get; init; }
    public uint Ssrc { get; init; }
    public int CsrcCount { get; init; }
    /// <summary>The "defined by profile" field: 0xBEDE (one-byte) or 0x100X (two-byte) per RFC 8285.</summary>
    public ushort ExtensionProfile { get; init; }
    /// <summary>Offset of the extension data (after its 4-byte header) in the packet.</summary>
    public int ExtensionOffset { get; init; }
    public int ExtensionLength { get; init; }
    /// <summary>Offset of the payload, which is also the whole header's length.</summary>
    public int PayloadOffset { get; init; }
    /// <summary>Padding bytes at the end of the packet, including the count byte.</summary>
    public int PaddingSize { get; init; }

    /// <summary>Reads the CSRC at <paramref name="index"/> from the packet this header came from.</summary>
    public uint GetCsrc(ReadOnlySpan<byte> packet, int index) =>
        BinaryPrimitives.ReadUInt32BigEndian(packet[(FixedSize + (index * 4))..]);

    /// <summary>Finds extension <paramref name="id"/> in the packet this header came from.</summary>
    public bool TryGetExtension(ReadOnlySpan<byte> packet, int id, out ReadOnlySpan<byte> value)
    {
        value = default;
        if (!HasExtension || packet.Length < ExtensionOffset + ExtensionLength)
        {
            return false;
        }
        return RtpExtensionReader.TryFind(ExtensionProfile, packet.Slice(ExtensionOffset, ExtensionLength), id, out value);
    }

    /// <summary>
    /// Reads and validates the header of a whole RTP packet: lengths, CSRCs, the extension
    /// block and its elements, and the padding count.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> packet, out RtpHeader header, out int headerLength, out ParseError error)
    {
        header = default;
        headerLength = 0;
        if (packet.Length < FixedSize)
        {
            error = ParseError.TooShort;
            return false;
        }
        byte b0 = packet[0];
        byte b1 = packet[1];
        if ((b0 >> 6) != RtpVersion)
        {
            error = ParseError.BadVersion;
            return false;
        }
        bool padding = (b0 & 0x20) != 0;
        bool extension = (b0 & 0x10) != 0;
        int csrcCount = b0 & 0x0F;
        int offset = FixedSize + (csrcCount * 4);
        if (packet.Length < offset)
        {
            error = ParseError.TooShort;
            return false;
        }

        ushort profile = 0;
        int extOffset = 0;
        int extLength = 0;
        if (extension)
        {
            if (packet.Length < offset + ExtensionHeaderSize)
            {
                error = ParseError.TooShort;
                return false;
            }
            profile = BinaryPrimitives.ReadUInt16BigEndian(packet[offset..]);
            extLength = BinaryPrimitives.ReadUInt16BigEndian(packet[(offset + 2)..]) * 4;
            extOffset = offset + ExtensionHeaderSize;
            offset = extOffset + extLength;
            if (packet.Length < offset)
            {
                error = ParseError.TooShort;
                return false;
            }
            if (!RtpExtensionReader.Validate(profile, packet.Slice(extOffset, extLength)))
            {
                error = ParseError.BadAttribute;
                return false;
            }
        }

        int paddingSize = 0;
        if (padding)
        {
            paddingSize = packet.Length > offset ? packet[^1] : 0;
            if (paddingSize == 0 || paddingSize > packet.Length - offset)
            {
                error = ParseError.BadPadding;
                return false;
            }
        }

        header = new RtpHeader
        {
            Version = RtpVersion,
            Padding = padding,
            HasExtension = extension,
            Marker = (b1 & 0x80) != 0,
            PayloadType = (byte)(b1 & 0x7F),
            SequenceNumber = BinaryPrimitives.ReadUInt16BigEndian(packet[SequenceOffset..]),
            Timestamp = BinaryPrimitives.ReadUInt32BigEndian(packet[TimestampOffset..]),
            Ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[SsrcOffset..]),
            CsrcCount = csrcCount,
            ExtensionProfile = profile,
            ExtensionOffset = extOffset,
            ExtensionLength = extLength,
            PayloadOffset = offset,
            PaddingSize = paddingSize,
        };
        headerLength = offset;
        error = ParseError.None;
        return true;
    }
}
