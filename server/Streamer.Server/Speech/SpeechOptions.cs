namespace Streamer.Server.Speech;

/// <summary>
/// <c>Speech</c>: whether answers are spoken on a session's WebRTC audio track, in which voice,
/// and the limits of the speech stage.
/// </summary>
public sealed class SpeechOptions
{
    public const string Section = "Speech";

    /// <summary>Speak answers on sessions whose peer has an audio track the server sends on.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Default voice; empty takes the speaker dictionary's first name. A session may choose another with the hub's SetSpeaker.</summary>
    public string? Speaker { get; set; }

    /// <summary>Audio chunks between the synthesizer and the audio sender; the synthesizer waits when it is full.</summary>
    public int ChunkQueue { get; set; } = 8;

    /// <summary>Most codec tokens spoken per answer (the reference talker stops at 4096); the answer's metadata says when it is hit.</summary>
    public int MaxCodes { get; set; } = 4096;

    /// <summary>Mel frames of utterance noise drawn per answer; an answer may speak at most NoiseFrames / repeats codes.</summary>
    public int NoiseFrames { get; set; } = 30000;

    /// <summary>Seed of the utterance noise and of the random speech model's weights.</summary>
    public int Seed { get; set; } = 1234;

    public static bool IsValid(SpeechOptions o) =>
        o.ChunkQueue >= 1 && o.MaxCodes >= 1 && o.NoiseFrames >= 64;
}
