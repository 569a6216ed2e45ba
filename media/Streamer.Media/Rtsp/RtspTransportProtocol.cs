namespace Streamer.Media.Rtsp;

/// <summary>How RTP travels from the camera: on the RTSP connection, or as UDP datagrams.</summary>
public enum RtspTransportProtocol
{
    Tcp,
    Udp,
}
