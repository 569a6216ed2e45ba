using System.Buffers.Binary;

namespace Streamer.Media.Dtls;

/// <summary>
/// The DTLS 1.0/1.2 record header (RFC 6347 section 4.1):
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  ContentType  |  Version major | Version minor|     Epoch     ...
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ...   Epoch     |             SequenceNumber (48 bits)          ...
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ...                             |             Length            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Length bytes of fragment follow. Only the framing is read here; BouncyCastle decrypts.
/// </summary>
public readonly record struct DtlsRecordHeader(
    byte ContentType,
    ushort Version,
    ushort Epoch,
    ulong SequenceNumber,
    ushort Length)
{
    /// <summary>Bytes in the header.</summary>
    public const int Size = 13;

    /// <summary>Content types of RFC 5246 6.2.1 and RFC 6520 (heartbeat) that DTLS 1.2 carries.</summary>
    public const byte ChangeCipherSpec = 20;
    public const byte Alert = 21;
    public const byte Handshake = 22;
    public const byte ApplicationData = 23;
    public const byte Heartbeat = 24;

    /// <summary>DTLS versions are one's complements of TLS's; every one has major 0xFE (RFC 6347 4.1).</summary>
    public const byte DtlsMajorVersion = 0xFE;

    public const ushort Dtls10 = 0xFEFF;
    public const ushort Dtls12 = 0xFEFD;

    private const int ContentTypeOffset = 0;
    private const int VersionOffset = 1;
    private const int EpochOffset = 3;
    private const int SequenceOffset = 5;
    private const int SequenceLength = 6;
    private const int LengthOffset = 11;
    private const ulong MaxSequenceNumber = (1UL << 48) - 1;

    public int MarshalSize => Size;

    public int MarshalTo(Span<byte> buffer)
    {
        if (buffer.Length < Size)
            throw new ArgumentException($"Need {Size} bytes.", nameof(buffer));
        if (SequenceNumber > MaxSequenceNumber)
            throw new InvalidOperationException("Sequence numbers have 48 bits.");

        buffer[ContentTypeOffset] = ContentType;
        BinaryPrimitives.WriteUInt16BigEndian(buffer[VersionOffset..], Version);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[EpochOffset..], Epoch);
        Span<byte> sequence = stackalloc byte[sizeof(ulong)];
        BinaryPrimitives.WriteUInt64BigEndian(sequence, SequenceNumber);
        sequence[(sizeof(ulong) - SequenceLength)..].CopyTo(buffer[SequenceOffset..]);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[LengthOffset..], Length);
        return Size;
    }

    /// <summary>
    /// Reads one header and checks that its fragment fits in <paramref name="buffer"/>. Rejects
    /// content types DTLS 1.2 does not use here (including RFC 9146 connection-ID records, which
    /// this server never negotiates) and versions that are not DTLS.
    /// </summary>
    public static bool TryUnmarshal(ReadOnlySpan<byte> buffer, out DtlsRecordHeader header, out ParseError error)
    {
        header = default;
        if (buffer.Length < Size)
        {
            error = ParseError.TooShort;
            return false;
        }

        byte contentType = buffer[ContentTypeOffset];
        if (contentType is < ChangeCipherSpec or > Heartbeat)
        {
            error = ParseError.UnknownType;
            return false;
        }

        ushort version = BinaryPrimitives.ReadUInt16BigEndian(buffer[VersionOffset..]);
        if (version >> 8 != DtlsMajorVersion)
        {
            error = ParseError.BadVersion;
            return false;
        }

        ushort length = BinaryPrimitives.ReadUInt16BigEndian(buffer[LengthOffset..]);
        if (buffer.Length - Size < length)
        {
            error = ParseError.BadLength;
            return false;
        }

        Span<byte> sequence = stackalloc byte[sizeof(ulong)];
        sequence.Clear();
        buffer.Slice(SequenceOffset, SequenceLength).CopyTo(sequence[(sizeof(ulong) - SequenceLength)..]);

        header = new DtlsRecordHeader(
            contentType,
            version,
            BinaryPrimitives.ReadUInt16BigEndian(buffer[EpochOffset..]),
            BinaryPrimitives.ReadUInt64BigEndian(sequence),
            length);
        error = ParseError.None;
        return true;
    }
}
