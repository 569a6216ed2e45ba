namespace Streamer.Media.Rtcp;

/// <summary>An RTCP packet of a type this library does not interpret, kept whole (header included).</summary>
public sealed class RawRtcpPacket : IRtcpPacket
{
    public RawRtcpPacket(byte[] data)
    {
        Data = data;
    }

    public byte[] Data { get; }

    public RtcpHeader Header => RtcpHeader.TryUnmarshal(Data, out var header, out _) ? header : default;

    public int MarshalSize => Data.Length;

    public int MarshalTo(Span<byte> destination)
    {
        Data.CopyTo(destination);
        return Data.Length;
    }

    /// <summary>Copies one packet (as its header's length says) out of <paramref name="data"/>.</summary>
    public static bool TryUnmarshal(ReadOnlySpan<byte> data, out RawRtcpPacket packet, out ParseError error)
    {
        packet = null!;
        if (!RtcpHeader.TryUnmarshal(data, out var header, out error))
        {
            return false;
        }
        if (data.Length < header.PacketSize)
        {
            error = ParseError.TooShort;
            return false;
        }
        packet = new RawRtcpPacket(data[..header.PacketSize].ToArray());
        return true;
    }
}
