using System.Buffers.Binary;

namespace Streamer.Media.Codecs;

/// <summary>
/// H.264 over RTP (RFC 6184, packetization mode 1): single NAL unit packets, STAP-A and FU-A,
/// written out in Annex-B form with 4-byte start codes. Remembers the last SPS and PPS and
/// prepends them to an IDR frame that arrives without them, so every keyframe decodes alone.
/// <code>
/// NAL header / FU indicator:   FU header (FU-A):        STAP-A:
/// +-+-+-+-+-+-+-+-+            +-+-+-+-+-+-+-+-+        [hdr type=24][size16][NAL][size16][NAL]...
/// |F|NRI|  Type   |            |S|E|R|  Type   |
/// +-+-+-+-+-+-+-+-+            +-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public sealed class H264Depacketizer : RtpDepacketizer
{
    private const int FuHeaderOffset = 1;
    private const int FuPayloadOffset = 2;
    private const int StapSizeLength = 2;
    private const byte FuStartBit = 0x80;
    private const byte FuEndBit = 0x40;

    private byte[]? _sps;
    private byte[]? _pps;

    public override VideoCodec Codec => VideoCodec.H264;

    /// <summary>The last sequence parameter set seen, without start code.</summary>
    public ReadOnlySpan<byte> LastSps => _sps;

    /// <summary>The last picture parameter set seen, without start code.</summary>
    public ReadOnlySpan<byte> LastPps => _pps;

    /// <summary>
    /// Remembers a parameter set given out of band (sprop-parameter-sets). Returns false,
    /// keeping nothing, when <paramref name="nal"/> is not an SPS or PPS.
    /// </summary>
    public bool SeedParameterSet(ReadOnlySpan<byte> nal)
    {
        if (nal.Length < 2)
        {
            return false;
        }
        switch (H264NalUnitType.Of(nal[0]))
        {
            case H264NalUnitType.Sps:
                AnnexBNal.Remember(ref _sps, nal);
                return true;
            case H264NalUnitType.Pps:
                AnnexBNal.Remember(ref _pps, nal);
                return true;
            default:
                return false;
        }
    }

    public override bool TryInspect(ReadOnlySpan<byte> payload, out RtpPayloadFlags flags, out ParseError error)
    {
        flags = RtpPayloadFlags.None;
        if (payload.IsEmpty)
        {
            error = ParseError.TooShort;
            return false;
        }

        var type = H264NalUnitType.Of(payload[0]);
        switch (type)
        {
            case >= 1 and <= 23:
                flags = ClassifyNal(payload);
                error = ParseError.None;
                return true;
            case H264NalUnitType.StapA:
                var offset = 1;
                var first = true;
                if (payload.Length <= offset)
                {
                    error = ParseError.TooShort;
                    return false;
                }
                while (offset < payload.Length)
                {
                    if (!TryReadStapUnit(payload, ref offset, out var nal, out error))
                    {
                        return false;
                    }
                    var nalFlags = ClassifyNal(nal);
                    flags |= first ? nalFlags : nalFlags & RtpPayloadFlags.KeyframeStart;
                    first = false;
                }
                if ((flags & RtpPayloadFlags.KeyframeStart) != 0)
                {
                    flags |= RtpPayloadFlags.FrameStart;
                }
                error = ParseError.None;
                return true;
            case H264NalUnitType.FuA:
                if (payload.Length <= FuPayloadOffset)
                {
                    error = ParseError.TooShort;
                    return false;
                }
                var fuHeader = payload[FuHeaderOffset];
                if ((fuHeader & FuStartBit) != 0 && (fuHeader & FuEndBit) != 0)
                {
                    error = ParseError.Malformed;
                    return false;
                }
                if ((fuHeader & FuStartBit) != 0)
                {
                    var innerType = H264NalUnitType.Of(fuHeader);
                    if (H264NalUnitType.IsSlice(innerType) && H264NalUnitType.IsFirstSliceOfPicture(payload[FuPayloadOffset]))
                    {
                        flags = RtpPayloadFlags.FrameStart;
                        if (innerType == H264NalUnitType.Idr)
                        {
                            flags |= RtpPayloadFlags.KeyframeStart;
                        }
                    }
                }
                error = ParseError.None;
                return true;
            case H264NalUnitType.StapB or H264NalUnitType.Mtap16 or H264NalUnitType.Mtap24 or H264NalUnitType.FuB:
                error = ParseError.Unsupported;
                return false;
            default:
                error = ParseError.UnknownType;
                return false;
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
        var hasIdr = false;
        var hasSps = false;
        var hasPps = false;
        var inFragment = false;
        var fragmentType = 0;
        foreach (var memory in payloads)
        {
            var payload = memory.Span;
            if (!TryInspect(payload, out _, out error))
            {
                return false;
            }

            var type = H264NalUnitType.Of(payload[0]);
            if (type == H264NalUnitType.FuA)
            {
                var fuHeader = payload[FuHeaderOffset];
                var innerType = H264NalUnitType.Of(fuHeader);
                if ((fuHeader & FuStartBit) != 0)
                {
                    if (inFragment)
                    {
                        error = ParseError.Malformed;
                        return false;
                    }
                    inFragment = true;
                    fragmentType = innerType;
                    Note(innerType, payload[FuPayloadOffset..], ref hasIdr, ref hasSps, ref hasPps, remember: false);
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

            if (type == H264NalUnitType.StapA)
            {
                var offset = 1;
                while (offset < payload.Length)
                {
                    TryReadStapUnit(payload, ref offset, out var nal, out _);
                    Note(H264NalUnitType.Of(nal[0]), nal, ref hasIdr, ref hasSps, ref hasPps, remember: true);
                }
            }
            else
            {
                Note(type, payload, ref hasIdr, ref hasSps, ref hasPps, remember: true);
            }
        }

        if (inFragment)
        {
            error = ParseError.Malformed;
            return false;
        }

        if (hasIdr && !hasSps && _sps is not null)
        {
            AnnexBNal.Write(output, _sps);
            hasSps = true;
        }
        if (hasIdr && !hasPps && _pps is not null)
        {
            AnnexBNal.Write(output, _pps);
            hasPps = true;
        }

        foreach (var memory in payloads)
        {
            var payload = memory.Span;
            var type = H264NalUnitType.Of(payload[0]);
            if (type == H264NalUnitType.FuA)
            {
                var fuHeader = payload[FuHeaderOffset];
                if ((fuHeader & FuStartBit) != 0)
                {
                    output.Write(AnnexBNal.StartCode);
                    output.Write((byte)((payload[0] & H264NalUnitType.ForbiddenAndNriMask) | H264NalUnitType.Of(fuHeader)));
                }
                output.Write(payload[FuPayloadOffset..]);
            }
            else if (type == H264NalUnitType.StapA)
            {
                var offset = 1;
                while (offset < payload.Length)
                {
                    TryReadStapUnit(payload, ref offset, out var nal, out _);
                    AnnexBNal.Write(output, nal);
                }
            }
            else
            {
                AnnexBNal.Write(output, payload);
            }
        }

        isKeyframe = hasIdr && hasSps && hasPps;
        error = ParseError.None;
        return true;
    }

    private static RtpPayloadFlags ClassifyNal(ReadOnlySpan<byte> nal)
    {
        var type = H264NalUnitType.Of(nal[0]);
        switch (type)
        {
            case H264NalUnitType.Sps or H264NalUnitType.Pps:
                return RtpPayloadFlags.FrameStart | RtpPayloadFlags.KeyframeStart;
            case H264NalUnitType.Sei or H264NalUnitType.AccessUnitDelimiter:
                return RtpPayloadFlags.FrameStart;
            case H264NalUnitType.Slice or H264NalUnitType.Idr when nal.Length > 1 && H264NalUnitType.IsFirstSliceOfPicture(nal[1]):
                return type == H264NalUnitType.Idr
                    ? RtpPayloadFlags.FrameStart | RtpPayloadFlags.KeyframeStart
                    : RtpPayloadFlags.FrameStart;
            default:
                return RtpPayloadFlags.None;
        }
    }

    private void Note(int type, ReadOnlySpan<byte> nal, ref bool hasIdr, ref bool hasSps, ref bool hasPps, bool remember)
    {
        switch (type)
        {
            case H264NalUnitType.Idr:
                hasIdr = true;
                break;
            case H264NalUnitType.Sps:
                hasSps = true;
                if (remember) AnnexBNal.Remember(ref _sps, nal);
                break;
            case H264NalUnitType.Pps:
                hasPps = true;
                if (remember) AnnexBNal.Remember(ref _pps, nal);
                break;
        }
    }

    private static bool TryReadStapUnit(ReadOnlySpan<byte> payload, ref int offset, out ReadOnlySpan<byte> nal, out ParseError error)
    {
        nal = default;
        if (payload.Length - offset < StapSizeLength)
        {
            error = ParseError.TooShort;
            return false;
        }
        int size = BinaryPrimitives.ReadUInt16BigEndian(payload[offset..]);
        offset += StapSizeLength;
        if (size == 0)
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
