namespace Streamer.Media.Sdp;

public enum MediaKind
{
    Audio,
    Video,
}
