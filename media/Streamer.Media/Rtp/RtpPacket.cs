using System.Buffers.Binary;

namespace Streamer.Media.Rtp;

/// <summary>
/// An RTP packet (RFC 3550 section 5.1) with RFC 8285 header extensions. Unmarshalling keeps
/// the payload and extension values as slices of the received buffer: nothing is copied.
/// The bit layout is on <see cref="RtpHeader"/>.
/// </summary>
public sealed class RtpPacket
{
    private const int OneByteMaxId = 14;
    private const int OneByteMaxLength = 16;
    private const int TwoByteMaxId = 255;
    private const int TwoByteMaxLength = 255;

    public bool Padding => PaddingSize > 0;
    public bool Marker { get; set; }
    public byte PayloadType { get; set; }
    public ushort SequenceNumber { get; set; }
    public uint Timestamp { get; set; }
    public uint Ssrc { get; set; }
    public uint[] Csrcs { get; set; } = [];

    /// <summary>
    /// Profile of the extension block. When marshalling with <see cref="Extensions"/>, the
    /// one-byte form is used if every element fits it, otherwise the two-byte form.
    /// </summary>
    public ushort ExtensionProfile { get; set; }

    /// <summary>RFC 8285 elements, in wire order.</summary>
    public List<RtpHeaderExtension> Extensions { get; } = [];

    /// <summary>The opaque extension block of a profile that is not RFC 8285.</summary>
    public ReadOnlyMemory<byte> RawExtension { get; set; }

    public ReadOnlyMemory<byte> Payload { get; set; }

    /// <summary>Padding bytes to append when marshalling (0 for none), including the count byte.</summary>
    public byte PaddingSize { get; set; }

    public bool HasExtension => Extensions.Count > 0 || !RawExtension.IsEmpty;

    public bool TryGetExtension(int id, out ReadOnlySpan<byte> value)
    {
        foreach (var ext in Extensions)
        {
            if (ext.Id == id)
            {
                value = ext.Value.Span;
                return true;
            }
        }
        value = default;
        return false;
    }

    /// <summary>Adds or replaces extension <paramref name="id"/>.</summary>
    public void SetExtension(int id, ReadOnlyMemory<byte> value)
    {
        if (id is < 1 or > TwoByteMaxId)
        {
            throw new ArgumentOutOfRangeException(nameof(id), id, "RFC 8285 ids are 1-255.");
        }
        if (value.Length > TwoByteMaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value.Length, "RFC 8285 values are at most 255 bytes.");
        }
        for (int i = 0; i < Extensions.Count; i++)
        {
            if (Extensions[i].Id == id)
            {
                Extensions[i] = new RtpHeaderExtension(id, value);
                return;
            }
        }
        Extensions.Add(new RtpHeaderExtension(id, value));
    }

    public bool RemoveExtension(int id) => Extensions.RemoveAll(e => e.Id == id) > 0;

    public static bool TryReadHeader(ReadOnlySpan<byte> packet, out RtpHeader header, out int headerLength, out ParseError error) =>
        RtpHeader.TryRead(packet, out header, out headerLength, out error);

    public static bool TryUnmarshal(ReadOnlyMemory<byte> buffer, out RtpPacket packet, out ParseError error)
    {
        packet = null!;
        var span = buffer.Span;
        if (!RtpHeader.TryRead(span, out var header, out int headerLength, out error))
        {
            return false;
        }
        var result = new RtpPacket
        {
            Marker = header.Marker,
            PayloadType = header.PayloadType,
            SequenceNumber = header.SequenceNumber,
            Timestamp = header.Timestamp,
            Ssrc = header.Ssrc,
            PaddingSize = (byte)header.PaddingSize,
            Payload = buffer[headerLength..(buffer.Length - header.PaddingSize)],
        };
        if (header.CsrcCount > 0)
        {
            result.Csrcs = new uint[header.CsrcCount];
            for (int i = 0; i < header.CsrcCount; i++)
            {
                result.Csrcs[i] = header.GetCsrc(span, i);
            }
        }
        if (header.HasExtension)
        {
            result.ExtensionProfile = header.ExtensionProfile;
            var block = buffer.Slice(header.ExtensionOffset, header.ExtensionLength);
            if (RtpExtensionReader.IsOneByte(header.ExtensionProfile) || RtpExtensionReader.IsTwoByte(header.ExtensionProfile))
            {
                var e = new RtpExtensionReader.Enumerator(header.ExtensionProfile, block.Span);
                while (e.MoveNext())
                {
                    result.Extensions.Add(new RtpHeaderExtension(e.CurrentId, block.Slice(e.CurrentOffset, e.CurrentValue.Length)));
                }
            }
            else
            {
                result.RawExtension = block;
            }
        }
        packet = result;
        return true;
    }

    private bool UseOneByte()
    {
        foreach (var ext in Extensions)
        {
            if (ext.Id > OneByteMaxId || ext.Value.Length is 0 or > OneByteMaxLength)
            {
                return false;
            }
        }
        return true;
    }

    private int ExtensionBlockSize(bool oneByte)
    {
        if (Extensions.Count == 0)
        {
            return RawExtension.Length;
        }
        int size = 0;
        foreach (var ext in Extensions)
        {
            size += (oneByte ? 1 : 2) + ext.Value.Length;
        }
        return (size + 3) & ~3;
    }

    public int MarshalSize
    {
        get
        {
            int size = RtpHeader.FixedSize + (Csrcs.Length * 4);
            if (HasExtension)
            {
                size += 4 + ExtensionBlockSize(UseOneByte());
            }
            return size + Payload.Length + PaddingSize;
        }
    }

    public int MarshalTo(Span<byte> destination)
    {
        int size = MarshalSize;
        if (destination.Length < size)
        {
            throw new ArgumentException("Destination too small.", nameof(destination));
        }
        if (Csrcs.Length > 15)
        {
            throw new InvalidOperationException("RTP allows at most 15 CSRCs.");
        }
        if (!RawExtension.IsEmpty && (RawExtension.Length % 4) != 0)
        {
            throw new InvalidOperationException("A raw extension block is a whole number of 32-bit words.");
        }
        destination[0] = (byte)((RtpHeader.RtpVersion << 6) | (PaddingSize > 0 ? 0x20 : 0) | (HasExtension ? 0x10 : 0) | Csrcs.Length);
        destination[1] = (byte)((Marker ? 0x80 : 0) | (PayloadType & 0x7F));
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], SequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], Timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], Ssrc);
        int offset = RtpHeader.FixedSize;
        foreach (uint csrc in Csrcs)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination[offset..], csrc);
            offset += 4;
        }
        if (HasExtension)
        {
            bool oneByte = UseOneByte();
            int blockSize = ExtensionBlockSize(oneByte);
            ushort profile = Extensions.Count == 0 ? ExtensionProfile
                : oneByte ? RtpExtensionReader.OneByteProfile : RtpExtensionReader.TwoByteProfile;
            BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], profile);
            BinaryPrimitives.WriteUInt16BigEndian(destination[(offset + 2)..], (ushort)(blockSize / 4));
            offset += 4;
            if (Extensions.Count == 0)
            {
                RawExtension.Span.CopyTo(destination[offset..]);
                offset += blockSize;
            }
            else
            {
                int end = offset + blockSize;
                foreach (var ext in Extensions)
                {
                    if (oneByte)
                    {
                        destination[offset++] = (byte)((ext.Id << 4) | (ext.Value.Length - 1));
                    }
                    else
                    {
                        destination[offset++] = (byte)ext.Id;
                        destination[offset++] = (byte)ext.Value.Length;
                    }
                    ext.Value.Span.CopyTo(destination[offset..]);
                    offset += ext.Value.Length;
                }
                destination[offset..end].Clear();
                offset = end;
            }
        }
        Payload.Span.CopyTo(destination[offset..]);
        offset += Payload.Length;
        if (PaddingSize > 0)
        {
            destination.Slice(offset, PaddingSize - 1).Clear();
            offset += PaddingSize;
            destination[offset - 1] = PaddingSize;
        }
        return offset;
    }
}
