namespace Streamer.Media.Codecs;

/// <summary>Video codecs carried over RTP and decoded through FFmpeg.</summary>
public enum VideoCodec
{
    Vp8,
    H264,
    H265,
}
