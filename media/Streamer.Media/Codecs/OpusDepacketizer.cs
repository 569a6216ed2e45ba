namespace Streamer.Media.Codecs;

/// <summary>
/// Opus over RTP (RFC 7587): the payload is exactly one Opus packet, so every RTP packet is a
/// frame. The only check is that the TOC byte (RFC 6716 3.1) is present.
/// </summary>
public static class OpusDepacketizer
{
    public static bool TryDepacketize(ReadOnlySpan<byte> payload, uint rtpTimestamp, DateTimeOffset arrival, out EncodedFrame? frame, out ParseError error)
    {
        if (payload.IsEmpty)
        {
            frame = null;
            error = ParseError.TooShort;
            return false;
        }

        frame = EncodedFrame.CopyAudio(payload, rtpTimestamp, arrival);
        error = ParseError.None;
        return true;
    }
}
