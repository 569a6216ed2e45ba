namespace Streamer.Media.Codecs;

/// <summary>OPUS_APPLICATION_* values from opus_defines.h.</summary>
public enum OpusApplication
{
    Voip = 2048,
    Audio = 2049,
    RestrictedLowDelay = 2051,
}
