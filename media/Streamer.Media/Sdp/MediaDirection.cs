namespace Streamer.Media.Sdp;

/// <summary>The direction attribute of a media section, from the point of view of the side that wrote it.</summary>
public enum MediaDirection
{
    SendRecv,
    SendOnly,
    RecvOnly,
    Inactive,
}
