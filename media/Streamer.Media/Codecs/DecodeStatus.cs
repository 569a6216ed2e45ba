namespace Streamer.Media.Codecs;

public enum DecodeStatus
{
    /// <summary>Accepted; zero or more frames were produced.</summary>
    Ok,
    /// <summary>Not decodable until a keyframe arrives (none yet, or the last one failed); send a PLI.</summary>
    NeedKeyframe,
    /// <summary>The decoder rejected the data; the decoder's LastError holds FFmpeg's text.</summary>
    Error,
}
