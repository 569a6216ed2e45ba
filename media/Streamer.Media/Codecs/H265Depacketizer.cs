using System.Buffers.Binary;

namespace Streamer.Media.Codecs;

/// <summary>
/// H.265 over RTP (RFC 7798) without DONL (sprop-max-don-diff = 0, the usual camera setting):
/// single NAL unit packets, aggregation packets (AP) and fragmentation units (FU), written in
/// Annex-B form with 4-byte start codes. Remembers the last VPS, SPS and PPS (from the stream
/// or from the SDP's sprop-vps/sps/pps) and prepends them to an IRAP picture that arrives
/// without them, so every keyframe decodes alone.
/// <code>
/// Payload header:                    FU header:          AP:
/// +---------------+---------------+  +-+-+-+-+-+-+-+-+   [PayloadHdr type=48]
/// |F|   Type    |  LayerId  | TID |  |S|E|  FuType   |   [size16][NAL][size16][NAL]...
/// +-------------+-----------------+  +-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public sealed class H265Depacketizer : RtpDepacketizer
{
    private const int FuHeaderOffset = 2;
    private const int FuPayloadOffset = 3;
    private const int ApFirstUnitOffset = 2;
    private const int ApSizeLength = 2;
    private const byte FuStartBit = 0x80;
    private const byte FuEndBit = 0x40;
    private const byte FuTypeMask = 0x3F;

    private byte[]? _vps;
    private byte[]? _sps;
    private byte[]? _pps;

    public override VideoCodec Codec => VideoCodec.H265;

    /// <summary>The last video parameter set seen, without start code.</summary>
    public ReadOnlySpan<byte> LastVps => _vps;

    /// <summary>The last sequence parameter set seen, without start code.</summary>
    public ReadOnlySpan<byte> LastSps => _sps;

    /// <summary>The last picture parameter set seen, without start code.</summary>
    public ReadOnlySpan<byte> LastPps => _pps;

    /// <summary>
    /// Remembers a parameter set given out of band (sprop-vps/sps/pps). Returns false, keeping
    /// nothing, when <paramref name="nal"/> is not a VPS, SPS or PPS.
    /// </summary>
    public bool SeedParameterSet(ReadOnlySpan<byte> nal)
    {
        if (nal.Length <= H265NalUnitType.HeaderSize)
        {
            return false;
        }
        switch (H265NalUnitType.Of(nal[0]))
        {
            case H265NalUnitType.Vps:
                AnnexBNal.Remember(ref _vps, nal);
                return true;
            case H265NalUnitType.Sps:
                AnnexBNal.Remember(ref _sps, nal);
                return true;
            case H265NalUnitType.Pps:
                AnnexBNal.Remember(ref _pps, nal);
                return true;
            default:
                return false;
        }
    }

    public override bool TryInspect(ReadOnlySpan<byte> payload, out RtpPayloadFlags flags, out ParseError error)
    {
        flags = RtpPayloadFlags.None;
        if (payload.Length <= H265NalUnitType.HeaderSize)
        {
            error = ParseError.TooShort;
            return false;
        }
        if ((payload[0] & 0x80) != 0)
        {
            // F=1 marks a NAL unit the sender knows to be damaged (RFC 7798 section 1.1.4).
            error = ParseError.Malformed;
            return false;
        }

        var type = H265NalUnitType.Of(payload[0]);
        switch (type)
        {
            case H265NalUnitType.AggregationPacket:
                var offset = ApFirstUnitOffset;
                var first = true;
                while (offset < payload.Length)
                {
                    if (!TryReadApUnit(payload, ref offset, out var nal, out error))
                    {
                        return false;
                    }
                    var nalFlags = ClassifyNal(nal);
                    flags |= first ? nalFlags : nalFlags & RtpPayloadFlags.KeyframeStart;
                    first = false;
                }
                if (first)
                {
                    error = ParseError.TooShort;
                    return false;
                }
                if ((flags & RtpPayloadFlags.KeyframeStart) != 0)
                {
                    flags |= RtpPayloadFlags.FrameStart;
                }
                error = ParseError.None;
                return true;
            case H265NalUnitType.FragmentationUnit:
                if (payload.Length <= FuPayloadOffset)
                {
                    error = ParseError.TooShort;
                    return false;
                }
                var fuHeader = payload[FuHeaderOffset];
                var innerType = fuHeader & FuTypeMask;
                if (((fuHeader & FuStartBit) != 0 && (fuHeader & FuEndBit) != 0)
                    || innerType is H265NalUnitType.AggregationPacket or H265NalUnitType.FragmentationUnit or H265NalUnitType.Paci)
                {
                    error = ParseError.Malformed;
                    return false;
                }
                if ((fuHeader & FuStartBit) != 0
                    && H265NalUnitType.IsVcl(innerType)
                    && H265NalUnitType.IsFirstSliceOfPicture(payload[FuPayloadOffset]))
                {
                    flags = RtpPayloadFlags.FrameStart;
                    if (H265NalUnitType.IsIrap(innerType))
                    {
                        flags |= RtpPayloadFlags.KeyframeStart;
                    }
                }
                error = ParseError.None;
                return true;
            case H265NalUnitType.Paci:
                error = ParseError.Unsupported;
                return false;
            case > H265NalUnitType.Paci:
                error = ParseError.UnknownType;
                return false;
            default:
                flags = ClassifyNal(payload);
                error = ParseError.None;
                return true;
        }
    }

    public override bool TryAssemble(IReadOnlyList<ReadOnlyMemory<byte>> payloads, PooledByteWriter output, out bool isKeyframe, out ParseError error)
    {
        isKeyframe = false;
        if (payloads.Count == 0)
        {
            error = ParseError.TooShort;
            return false;
        }

        // First pass: validate and learn which NAL types the frame holds, so missing parameter
        // sets can be written before the frame's own NAL units.
        var seen = new Seen();
        var inFragment = false;
        var fragmentType = 0;
        foreach (var memory in payloads)
        {
            var payload = memory.Span;
            if (!TryInspect(payload, out _, out error))
            {
                return false;
            }

            var type = H265NalUnitType.Of(payload[0]);
            if (type == H265NalUnitType.FragmentationUnit)
            {
                var fuHeader = payload[FuHeaderOffset];
                var innerType = fuHeader & FuTypeMask;
                if ((fuHeader & FuStartBit) != 0)
                {
                    if (inFragment)
                    {
                        error = ParseError.Malformed;
                        return false;
                    }
                    inFragment = true;
                    fragmentType = innerType;
                    Note(innerType, default, ref seen, remember: false);
                }
                else if (!inFragment || innerType != fragmentType)
                {
                    error = ParseError.Malformed;
                    return false;
                }
                if ((fuHeader & FuEndBit) != 0)
                {
                    inFragment = false;
                }
                continue;
            }

            if (inFragment)
            {
                error = ParseError.Malformed;
                return false;
            }

            if (type == H265NalUnitType.AggregationPacket)
            {
                var offset = ApFirstUnitOffset;
                while (offset < payload.Length)
                {
                    TryReadApUnit(payload, ref offset, out var nal, out _);
                    Note(H265NalUnitType.Of(nal[0]), nal, ref seen, remember: true);
                }
            }
            else
            {
                Note(type, payload, ref seen, remember: true);
            }
        }

        if (inFragment)
        {
            error = ParseError.Malformed;
            return false;
        }

        if (seen.Irap)
        {
            PrependIfMissing(output, ref seen.Vps, _vps);
            PrependIfMissing(output, ref seen.Sps, _sps);
            PrependIfMissing(output, ref seen.Pps, _pps);
        }

        foreach (var memory in payloads)
        {
            var payload = memory.Span;
            var type = H265NalUnitType.Of(payload[0]);
            if (type == H265NalUnitType.FragmentationUnit)
            {
                var fuHeader = payload[FuHeaderOffset];
                if ((fuHeader & FuStartBit) != 0)
                {
                    output.Write(AnnexBNal.StartCode);
                    output.Write((byte)((payload[0] & H265NalUnitType.ForbiddenAndLayerMask) | ((fuHeader & FuTypeMask) << 1)));
                    output.Write(payload[1]);
                }
                output.Write(payload[FuPayloadOffset..]);
            }
            else if (type == H265NalUnitType.AggregationPacket)
            {
                var offset = ApFirstUnitOffset;
                while (offset < payload.Length)
                {
                    TryReadApUnit(payload, ref offset, out var nal, out _);
                    AnnexBNal.Write(output, nal);
                }
            }
            else
            {
                AnnexBNal.Write(output, payload);
            }
        }

        isKeyframe = seen.Irap && seen.Vps && seen.Sps && seen.Pps;
        error = ParseError.None;
        return true;
    }

    private static RtpPayloadFlags ClassifyNal(ReadOnlySpan<byte> nal)
    {
        var type = H265NalUnitType.Of(nal[0]);
        switch (type)
        {
            case H265NalUnitType.Vps or H265NalUnitType.Sps or H265NalUnitType.Pps:
                return RtpPayloadFlags.FrameStart | RtpPayloadFlags.KeyframeStart;
            case H265NalUnitType.AccessUnitDelimiter or H265NalUnitType.PrefixSei:
                return RtpPayloadFlags.FrameStart;
            case <= H265NalUnitType.MaxVcl when nal.Length > H265NalUnitType.HeaderSize
                && H265NalUnitType.IsFirstSliceOfPicture(nal[H265NalUnitType.HeaderSize]):
                return H265NalUnitType.IsIrap(type)
                    ? RtpPayloadFlags.FrameStart | RtpPayloadFlags.KeyframeStart
                    : RtpPayloadFlags.FrameStart;
            default:
                return RtpPayloadFlags.None;
        }
    }

    private struct Seen
    {
        public bool Irap;
        public bool Vps;
        public bool Sps;
        public bool Pps;
    }

    private void Note(int type, ReadOnlySpan<byte> nal, ref Seen seen, bool remember)
    {
        switch (type)
        {
            case var irap when H265NalUnitType.IsIrap(irap):
                seen.Irap = true;
                break;
            case H265NalUnitType.Vps:
                seen.Vps = true;
                if (remember) AnnexBNal.Remember(ref _vps, nal);
                break;
            case H265NalUnitType.Sps:
                seen.Sps = true;
                if (remember) AnnexBNal.Remember(ref _sps, nal);
                break;
            case H265NalUnitType.Pps:
                seen.Pps = true;
                if (remember) AnnexBNal.Remember(ref _pps, nal);
                break;
        }
    }

    private static void PrependIfMissing(PooledByteWriter output, ref bool present, byte[]? stored)
    {
        if (!present && stored is not null)
        {
            AnnexBNal.Write(output, stored);
            present = true;
        }
    }

    private static bool TryReadApUnit(ReadOnlySpan<byte> payload, ref int offset, out ReadOnlySpan<byte> nal, out ParseError error)
    {
        nal = default;
        if (payload.Length - offset < ApSizeLength)
        {
            error = ParseError.TooShort;
            return false;
        }
        int size = BinaryPrimitives.ReadUInt16BigEndian(payload[offset..]);
        offset += ApSizeLength;
        if (size <= H265NalUnitType.HeaderSize)
        {
            error = ParseError.Malformed;
            return false;
        }
        if (size > payload.Length - offset)
        {
            error = ParseError.BadLength;
            return false;
        }
        nal = payload.Slice(offset, size);
        offset += size;
        error = ParseError.None;
        return true;
    }
}
