namespace Streamer.Media.Rtsp;

/// <summary>
/// Receives each RTP packet of a track, on the client's receive loop: handle it quickly and
/// copy what must outlive the call, the buffer is reused.
/// </summary>
public delegate void RtspPacketHandler(RtspTrack track, ReadOnlySpan<byte> rtpPacket, DateTimeOffset arrival);
