namespace Streamer.Media.Codecs;

/// <summary>Opus over RTP (RFC 7587): one Opus packet per RTP payload, never fragmented.</summary>
public sealed class OpusPacketizer(int mtu = 1200)
{
    public int Mtu { get; } = mtu;

    /// <summary>Returns the payload, or false when the packet cannot fit one RTP payload.</summary>
    public bool TryPacketize(ReadOnlySpan<byte> opusPacket, List<byte[]> payloads)
    {
        if (opusPacket.IsEmpty || opusPacket.Length > Mtu)
        {
            return false;
        }
        payloads.Add(opusPacket.ToArray());
        return true;
    }
}
