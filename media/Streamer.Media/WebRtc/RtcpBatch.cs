using Streamer.Media.Interceptors;
using Streamer.Media.Rtcp;

namespace Streamer.Media.WebRtc;

/// <summary>
/// Collects the RTCP the interceptors write between ticks; the peer protects and sends the
/// batch once per tick, so feedback leaves at most one tick after it was decided.
/// </summary>
internal sealed class RtcpBatch : IRtcpWriter
{
    private readonly List<IRtcpPacket> _pending = [];

    public int Count => _pending.Count;

    public void Write(IRtcpPacket packet) => _pending.Add(packet);

    /// <summary>Hands each pending packet to <paramref name="send"/> as one datagram and clears the batch.</summary>
    public void Drain(Action<IRtcpPacket> send)
    {
        foreach (var packet in _pending) send(packet);
        _pending.Clear();
    }
}
