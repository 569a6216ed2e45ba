namespace Streamer.Server.Voice;

/// <summary>What became of one received Opus packet.</summary>
public enum OpusPacketOutcome
{
    Decoded,

    /// <summary>It started before the end of the audio already decoded; dropped.</summary>
    Late,

    /// <summary>It did not decode; its time is concealed when the next packet arrives.</summary>
    Rejected,
}
