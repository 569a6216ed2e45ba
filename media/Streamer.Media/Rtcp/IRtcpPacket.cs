namespace Streamer.Media.Rtcp;

/// <summary>One RTCP packet of a compound datagram.</summary>
public interface IRtcpPacket
{
    int MarshalSize { get; }

    /// <summary>Writes the packet, header included; returns the bytes written. Never allocates.</summary>
    int MarshalTo(Span<byte> destination);
}
