namespace Streamer.Media.Codecs;

/// <summary>
/// VP8 over RTP (RFC 7741). A frame runs from the packet with S=1 and PID=0 to the marker;
/// its bitstream is the concatenation of the payloads after their descriptors. The first
/// byte of the VP8 payload header carries P, the inverse keyframe flag (RFC 6386 9.1).
/// </summary>
public sealed class Vp8Depacketizer : RtpDepacketizer
{
    private const byte InverseKeyframeBit = 0x01;
    private const int KeyframeHeaderSize = 10;
    private const int StartCodeOffset = 3;

    public override VideoCodec Codec => VideoCodec.Vp8;

    public override bool TryInspect(ReadOnlySpan<byte> payload, out RtpPayloadFlags flags, out ParseError error)
    {
        flags = RtpPayloadFlags.None;
        if (!Vp8PayloadDescriptor.TryUnmarshal(payload, out var descriptor, out error))
        {
            return false;
        }

        var data = payload[descriptor.MarshalSize..];
        if (data.IsEmpty)
        {
            error = ParseError.TooShort;
            return false;
        }

        if (descriptor.IsFrameStart)
        {
            flags = RtpPayloadFlags.FrameStart;
            if ((data[0] & InverseKeyframeBit) == 0)
            {
                if (!IsKeyframeHeaderValid(data))
                {
                    error = ParseError.Malformed;
                    return false;
                }
                flags |= RtpPayloadFlags.KeyframeStart;
            }
        }
        return true;
    }

    public override bool TryAssemble(IReadOnlyList<ReadOnlyMemory<byte>> payloads, PooledByteWriter output, out bool isKeyframe, out ParseError error)
    {
        isKeyframe = false;
        if (payloads.Count == 0)
        {
            error = ParseError.TooShort;
            return false;
        }

        for (var i = 0; i < payloads.Count; i++)
        {
            var payload = payloads[i].Span;
            if (!Vp8PayloadDescriptor.TryUnmarshal(payload, out var descriptor, out error))
            {
                return false;
            }

            var data = payload[descriptor.MarshalSize..];
            if (data.IsEmpty)
            {
                error = ParseError.TooShort;
                return false;
            }

            if (i == 0)
            {
                if (!descriptor.IsFrameStart)
                {
                    error = ParseError.Malformed;
                    return false;
                }
                isKeyframe = (data[0] & InverseKeyframeBit) == 0;
                if (isKeyframe && !IsKeyframeHeaderValid(data))
                {
                    error = ParseError.Malformed;
                    return false;
                }
            }
            else if (descriptor.IsFrameStart)
            {
                // A second frame start inside one frame means two frames share a timestamp.
                error = ParseError.Malformed;
                return false;
            }

            output.Write(data);
        }

        error = ParseError.None;
        return true;
    }

    // A keyframe's payload header is a 3-byte frame tag, then the start code 9d 01 2a
    // (RFC 6386 9.1); a first packet too short to hold it is accepted and left to the decoder.
    private static bool IsKeyframeHeaderValid(ReadOnlySpan<byte> data) =>
        data.Length < KeyframeHeaderSize
        || (data[StartCodeOffset] == 0x9d && data[StartCodeOffset + 1] == 0x01 && data[StartCodeOffset + 2] == 0x2a);
}
