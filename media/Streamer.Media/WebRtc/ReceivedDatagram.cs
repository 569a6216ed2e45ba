using System.Net;

namespace Streamer.Media.WebRtc;

/// <summary>
/// A datagram as the socket gave it, with the time it was read. <see cref="Buffer"/> is rented
/// from the shared array pool; whoever takes the datagram off the queue returns it.
/// </summary>
internal readonly record struct ReceivedDatagram(byte[] Buffer, int Length, IPEndPoint From, DateTimeOffset Arrival)
{
    public Span<byte> Span => Buffer.AsSpan(0, Length);
}
