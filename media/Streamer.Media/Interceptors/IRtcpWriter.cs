using Streamer.Media.Rtcp;

namespace Streamer.Media.Interceptors;

/// <summary>Where interceptors hand RTCP to send; the connection batches, encrypts and sends it.</summary>
public interface IRtcpWriter
{
    void Write(IRtcpPacket packet);
}
