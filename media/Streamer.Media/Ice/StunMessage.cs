using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Streamer.Media.Ice;

/// <summary>
/// A STUN message (RFC 8489 section 5).
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |0 0|     STUN Message Type     |         Message Length        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         Magic Cookie                          |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                                                               |
/// |                     Transaction ID (96 bits)                  |
/// |                                                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                     Attributes (Length bytes)               ...
/// </code>
/// A parsed message keeps every attribute in order, MESSAGE-INTEGRITY and FINGERPRINT included.
/// Marshalling writes the other attributes and computes those two itself, so a parsed message
/// can be re-signed with another key.
/// </summary>
public sealed class StunMessage
{
    public const int HeaderSize = 20;
    public const int TransactionIdSize = 12;
    public const uint MagicCookie = 0x2112A442;
    public const uint FingerprintXor = 0x5354554E;
    public const int MessageIntegritySize = 20;
    private const int TypeOffset = 0;
    private const int LengthOffset = 2;
    private const int CookieOffset = 4;
    private const int TransactionIdOffset = 8;
    private const int MessageIntegrityAttributeSize = StunAttribute.HeaderSize + MessageIntegritySize;
    private const int FingerprintAttributeSize = StunAttribute.HeaderSize + 4;

    public StunMessage(StunMessageType type, ReadOnlySpan<byte> transactionId)
    {
        if (transactionId.Length != TransactionIdSize)
        {
            throw new ArgumentException("A STUN transaction id is 12 bytes.", nameof(transactionId));
        }
        Type = type;
        TransactionId = transactionId.ToArray();
    }

    public StunMessageType Type { get; }

    public byte[] TransactionId { get; }

    public List<StunAttribute> Attributes { get; } = [];

    public bool HasMessageIntegrity => TryGetAttribute(StunAttributeType.MessageIntegrity, out _);

    public bool HasFingerprint => TryGetAttribute(StunAttributeType.Fingerprint, out _);

    public bool UseCandidate => TryGetAttribute(StunAttributeType.UseCandidate, out _);

    public string? Username =>
        TryGetAttribute(StunAttributeType.Username, out var value) ? Encoding.UTF8.GetString(value.Span) : null;

    public uint? Priority =>
        TryGetAttribute(StunAttributeType.Priority, out var value) ? BinaryPrimitives.ReadUInt32BigEndian(value.Span) : null;

    public ulong? IceControlling =>
        TryGetAttribute(StunAttributeType.IceControlling, out var value) ? BinaryPrimitives.ReadUInt64BigEndian(value.Span) : null;

    public ulong? IceControlled =>
        TryGetAttribute(StunAttributeType.IceControlled, out var value) ? BinaryPrimitives.ReadUInt64BigEndian(value.Span) : null;

    /// <summary>Generates a random transaction id, as a new request needs.</summary>
    public static byte[] NewTransactionId() => RandomNumberGenerator.GetBytes(TransactionIdSize);

    public bool TryGetAttribute(ushort type, out ReadOnlyMemory<byte> value)
    {
        foreach (var attribute in Attributes)
        {
            if (attribute.Type == type)
            {
                value = attribute.Value;
                return true;
            }
        }
        value = default;
        return false;
    }

    public bool TryGetXorMappedAddress(out IPEndPoint? endPoint)
    {
        endPoint = null;
        return TryGetAttribute(StunAttributeType.XorMappedAddress, out var value)
            && StunXorAddress.TryDecode(value.Span, TransactionId, out endPoint);
    }

    public bool TryGetErrorCode(out int code, out string reason)
    {
        code = 0;
        reason = "";
        if (!TryGetAttribute(StunAttributeType.ErrorCode, out var value) || value.Length < 4)
        {
            return false;
        }
        var span = value.Span;
        code = ((span[2] & 0x7) * 100) + span[3];
        reason = Encoding.UTF8.GetString(span[4..]);
        return true;
    }

    /// <summary>Size without MESSAGE-INTEGRITY and FINGERPRINT.</summary>
    public int MarshalSize => GetMarshalSize(messageIntegrity: false, fingerprint: false);

    public int GetMarshalSize(bool messageIntegrity, bool fingerprint)
    {
        int size = HeaderSize;
        foreach (var attribute in Attributes)
        {
            if (!IsComputed(attribute.Type))
            {
                size += attribute.MarshalSize;
            }
        }
        if (messageIntegrity)
        {
            size += MessageIntegrityAttributeSize;
        }
        if (fingerprint)
        {
            size += FingerprintAttributeSize;
        }
        return size;
    }

    /// <summary>Writes the message without MESSAGE-INTEGRITY and FINGERPRINT.</summary>
    public int MarshalTo(Span<byte> buffer) => MarshalTo(buffer, ReadOnlySpan<byte>.Empty, fingerprint: false);

    /// <summary>
    /// Writes the message, then MESSAGE-INTEGRITY keyed with <paramref name="integrityKey"/> (none when
    /// the key is empty), then FINGERPRINT if asked. Each is computed over the message with the length
    /// field already counting that attribute, as RFC 8489 sections 14.5 and 14.7 require.
    /// </summary>
    public int MarshalTo(Span<byte> buffer, ReadOnlySpan<byte> integrityKey, bool fingerprint)
    {
        bool integrity = !integrityKey.IsEmpty;
        int size = GetMarshalSize(integrity, fingerprint);
        if (buffer.Length < size)
        {
            throw new ArgumentException($"Buffer of {buffer.Length} bytes is too small for a {size}-byte STUN message.", nameof(buffer));
        }
        BinaryPrimitives.WriteUInt16BigEndian(buffer[TypeOffset..], Type.Value);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[CookieOffset..], MagicCookie);
        TransactionId.CopyTo(buffer[TransactionIdOffset..]);
        int offset = HeaderSize;
        foreach (var attribute in Attributes)
        {
            if (!IsComputed(attribute.Type))
            {
                offset += WriteAttribute(buffer[offset..], attribute.Type, attribute.Value.Span);
            }
        }
        if (integrity)
        {
            SetLength(buffer, offset + MessageIntegrityAttributeSize);
            BinaryPrimitives.WriteUInt16BigEndian(buffer[offset..], StunAttributeType.MessageIntegrity);
            BinaryPrimitives.WriteUInt16BigEndian(buffer[(offset + 2)..], MessageIntegritySize);
            Hmac(integrityKey, buffer[..offset], buffer.Slice(offset + StunAttribute.HeaderSize, MessageIntegritySize));
            offset += MessageIntegrityAttributeSize;
        }
        if (fingerprint)
        {
            SetLength(buffer, offset + FingerprintAttributeSize);
            BinaryPrimitives.WriteUInt16BigEndian(buffer[offset..], StunAttributeType.Fingerprint);
            BinaryPrimitives.WriteUInt16BigEndian(buffer[(offset + 2)..], 4);
            BinaryPrimitives.WriteUInt32BigEndian(buffer[(offset + StunAttribute.HeaderSize)..], Crc32.Compute(buffer[..offset]) ^ FingerprintXor);
            offset += FingerprintAttributeSize;
        }
        SetLength(buffer, offset);
        return offset;
    }

    /// <summary>
    /// Parses a whole datagram. Checks the header, every attribute's bounds, the sizes of the
    /// attributes ICE reads, and FINGERPRINT when present (it must be last). MESSAGE-INTEGRITY
    /// needs a key, so it is checked separately with <see cref="VerifyMessageIntegrity"/>.
    /// Attributes after MESSAGE-INTEGRITY other than FINGERPRINT are ignored, as the RFC says.
    /// </summary>
    public static bool TryUnmarshal(ReadOnlySpan<byte> raw, out StunMessage message, out ParseError error)
    {
        message = null!;
        if (!TryReadHeader(raw, out error))
        {
            return false;
        }
        var result = new StunMessage(
            StunMessageType.FromValue(BinaryPrimitives.ReadUInt16BigEndian(raw[TypeOffset..])),
            raw.Slice(TransactionIdOffset, TransactionIdSize));
        byte[] copy = raw.ToArray();
        bool afterIntegrity = false;
        int offset = HeaderSize;
        while (offset < raw.Length)
        {
            if (raw.Length - offset < StunAttribute.HeaderSize)
            {
                error = ParseError.BadAttribute;
                return false;
            }
            ushort type = BinaryPrimitives.ReadUInt16BigEndian(raw[offset..]);
            int length = BinaryPrimitives.ReadUInt16BigEndian(raw[(offset + 2)..]);
            int valueOffset = offset + StunAttribute.HeaderSize;
            if (valueOffset + StunAttribute.Padded(length) > raw.Length)
            {
                error = ParseError.BadAttribute;
                return false;
            }
            var value = raw.Slice(valueOffset, length);
            if (!HasValidSize(type, value))
            {
                error = ParseError.BadAttribute;
                return false;
            }
            if (type == StunAttributeType.Fingerprint)
            {
                if (valueOffset + 4 != raw.Length)
                {
                    error = ParseError.Malformed;
                    return false;
                }
                if ((Crc32.Compute(raw[..offset]) ^ FingerprintXor) != BinaryPrimitives.ReadUInt32BigEndian(value))
                {
                    error = ParseError.BadChecksum;
                    return false;
                }
            }
            if (!afterIntegrity || type == StunAttributeType.Fingerprint)
            {
                result.Attributes.Add(new StunAttribute(type, copy.AsMemory(valueOffset, length)));
            }
            afterIntegrity |= type == StunAttributeType.MessageIntegrity;
            offset = valueOffset + StunAttribute.Padded(length);
        }
        message = result;
        error = ParseError.None;
        return true;
    }

    /// <summary>
    /// True when the first MESSAGE-INTEGRITY verifies with <paramref name="key"/> (for ICE, the UTF-8
    /// bytes of the password). The HMAC covers the message up to that attribute, with the length field
    /// rewritten to end just after it, so a FINGERPRINT that follows does not disturb the check.
    /// </summary>
    public static bool VerifyMessageIntegrity(ReadOnlySpan<byte> raw, ReadOnlySpan<byte> key)
    {
        if (!TryReadHeader(raw, out _) || !TryFindAttribute(raw, StunAttributeType.MessageIntegrity, out int offset)
            || BinaryPrimitives.ReadUInt16BigEndian(raw[(offset + 2)..]) != MessageIntegritySize)
        {
            return false;
        }
        byte[]? rented = null;
        Span<byte> signed = offset <= 1024 ? stackalloc byte[offset] : (rented = ArrayPool<byte>.Shared.Rent(offset)).AsSpan(0, offset);
        try
        {
            raw[..offset].CopyTo(signed);
            SetLength(signed, offset + MessageIntegrityAttributeSize);
            Span<byte> mac = stackalloc byte[MessageIntegritySize];
            Hmac(key, signed, mac);
            return CryptographicOperations.FixedTimeEquals(mac, raw.Slice(offset + StunAttribute.HeaderSize, MessageIntegritySize));
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>True when the message ends with a FINGERPRINT matching the CRC-32 of what precedes it.</summary>
    public static bool VerifyFingerprint(ReadOnlySpan<byte> raw)
    {
        if (!TryReadHeader(raw, out _) || raw.Length < HeaderSize + FingerprintAttributeSize)
        {
            return false;
        }
        int offset = raw.Length - FingerprintAttributeSize;
        return BinaryPrimitives.ReadUInt16BigEndian(raw[offset..]) == StunAttributeType.Fingerprint
            && BinaryPrimitives.ReadUInt16BigEndian(raw[(offset + 2)..]) == 4
            && (Crc32.Compute(raw[..offset]) ^ FingerprintXor) == BinaryPrimitives.ReadUInt32BigEndian(raw[(offset + StunAttribute.HeaderSize)..]);
    }

    /// <summary>
    /// Cheap demultiplexing test (RFC 7983): a STUN message starts with two zero bits and carries
    /// the magic cookie; DTLS, RTP and RTCP never do both.
    /// </summary>
    public static bool LooksLikeStun(ReadOnlySpan<byte> raw) =>
        raw.Length >= HeaderSize
        && (raw[0] & 0xC0) == 0
        && BinaryPrimitives.ReadUInt32BigEndian(raw[CookieOffset..]) == MagicCookie;

    private static bool TryReadHeader(ReadOnlySpan<byte> raw, out ParseError error)
    {
        if (raw.Length < HeaderSize)
        {
            error = ParseError.TooShort;
            return false;
        }
        if ((raw[0] & 0xC0) != 0)
        {
            error = ParseError.BadVersion;
            return false;
        }
        if (BinaryPrimitives.ReadUInt32BigEndian(raw[CookieOffset..]) != MagicCookie)
        {
            error = ParseError.BadMagic;
            return false;
        }
        int length = BinaryPrimitives.ReadUInt16BigEndian(raw[LengthOffset..]);
        if ((length & 3) != 0 || HeaderSize + length != raw.Length)
        {
            error = ParseError.BadLength;
            return false;
        }
        error = ParseError.None;
        return true;
    }

    private static bool TryFindAttribute(ReadOnlySpan<byte> raw, ushort wanted, out int attributeOffset)
    {
        int offset = HeaderSize;
        while (raw.Length - offset >= StunAttribute.HeaderSize)
        {
            ushort type = BinaryPrimitives.ReadUInt16BigEndian(raw[offset..]);
            int length = BinaryPrimitives.ReadUInt16BigEndian(raw[(offset + 2)..]);
            int next = offset + StunAttribute.HeaderSize + StunAttribute.Padded(length);
            if (next > raw.Length)
            {
                break;
            }
            if (type == wanted)
            {
                attributeOffset = offset;
                return true;
            }
            offset = next;
        }
        attributeOffset = 0;
        return false;
    }

    private static bool HasValidSize(ushort type, ReadOnlySpan<byte> value) => type switch
    {
        StunAttributeType.MessageIntegrity => value.Length == MessageIntegritySize,
        StunAttributeType.Fingerprint => value.Length == 4,
        StunAttributeType.Priority => value.Length == 4,
        StunAttributeType.UseCandidate => value.Length == 0,
        StunAttributeType.IceControlling or StunAttributeType.IceControlled => value.Length == 8,
        StunAttributeType.XorMappedAddress => StunXorAddress.IsValid(value),
        StunAttributeType.ErrorCode => value.Length >= 4 && (value[2] & 0x7) is >= 3 and <= 6 && value[3] < 100,
        _ => true,
    };

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5350", Justification = "RFC 8489 MESSAGE-INTEGRITY is HMAC-SHA1 by definition; browsers send nothing else.")]
    private static void Hmac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> mac) =>
        HMACSHA1.HashData(key, data, mac);

    private static bool IsComputed(ushort type) =>
        type is StunAttributeType.MessageIntegrity or StunAttributeType.Fingerprint;

    private static int WriteAttribute(Span<byte> buffer, ushort type, ReadOnlySpan<byte> value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(buffer, type);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[2..], (ushort)value.Length);
        value.CopyTo(buffer[StunAttribute.HeaderSize..]);
        int padded = StunAttribute.Padded(value.Length);
        buffer.Slice(StunAttribute.HeaderSize + value.Length, padded - value.Length).Clear();
        return StunAttribute.HeaderSize + padded;
    }

    private static void SetLength(Span<byte> buffer, int messageEnd) =>
        BinaryPrimitives.WriteUInt16BigEndian(buffer[LengthOffset..], (ushort)(messageEnd - HeaderSize));
}
