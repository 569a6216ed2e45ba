namespace Streamer.Media.Codecs;

/// <summary>
/// Codec-specific half of the jitter buffer: classifies single payloads and turns the payloads
/// of one frame into the codec's bitstream. Never throws on network input.
/// </summary>
public abstract class RtpDepacketizer
{
    public abstract VideoCodec Codec { get; }

    /// <summary>Validates one payload and says whether it can begin a frame or a keyframe.</summary>
    public abstract bool TryInspect(ReadOnlySpan<byte> payload, out RtpPayloadFlags flags, out ParseError error);

    /// <summary>
    /// Writes the bitstream carried by one frame's payloads, given in sequence order.
    /// On failure <paramref name="output"/> holds a partial frame and must be cleared.
    /// </summary>
    public abstract bool TryAssemble(IReadOnlyList<ReadOnlyMemory<byte>> payloads, PooledByteWriter output, out bool isKeyframe, out ParseError error);
}
