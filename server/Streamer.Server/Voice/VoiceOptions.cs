namespace Streamer.Server.Voice;

/// <summary>
/// <c>Voice</c>: spoken questions on a WebRTC session's audio track. Voice activity detection
/// cuts the microphone into utterances; each one is asked like a text question.
/// </summary>
public sealed class VoiceOptions
{
    public const string Section = "Voice";

    /// <summary>Listen to the audio of WebRTC sessions that send it.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Speech must last this long before an utterance starts (and a streaming answer is interrupted).</summary>
    public int StartMilliseconds { get; set; } = 100;

    /// <summary>Silence after speech that ends the utterance; shorter pauses stay inside it.</summary>
    public int HangoverMilliseconds { get; set; } = 600;

    /// <summary>Utterances shorter than this are ignored (coughs, clicks) and counted.</summary>
    public int MinUtteranceMilliseconds { get; set; } = 300;

    /// <summary>An utterance is cut here and asked; speech until the next pause is ignored and counted. At most 30 s (the audio encoder's window).</summary>
    public int MaxUtteranceMilliseconds { get; set; } = 15000;

    /// <summary>Audio kept before the detected start, so the first syllable's onset is not lost.</summary>
    public int PreRollMilliseconds { get; set; } = 200;

    /// <summary>How far above the adaptive noise floor a frame's energy must be to count as speech.</summary>
    public double ThresholdDb { get; set; } = 5;

    /// <summary>Frames quieter than this (dB relative to full scale) are never speech.</summary>
    public double MinSpeechDbfs { get; set; } = -55;

    /// <summary>Frames less periodic at a pitch period than this (normalized autocorrelation: 1 a steady vowel, near 0 noise) are not voice.</summary>
    public double MinVoicing { get; set; } = 0.4;

    /// <summary>Time constant with which the noise floor rises to a louder background.</summary>
    public double NoiseAdaptSeconds { get; set; } = 2;

    /// <summary>Cut utterances waiting for the model; when full the oldest waiting one is dropped and counted.</summary>
    public int UtteranceQueue { get; set; } = 2;

    /// <summary>
    /// Lost audio up to this long (judged by the RTP timestamps) is concealed by libopus (in-band
    /// FEC for the last lost packet where the next carries it); the rest of a longer gap counts as
    /// silence: an utterance in progress ends there as after a pause, a starting one starts over.
    /// </summary>
    public int MaxConcealMilliseconds { get; set; } = 120;

    /// <summary>The longest utterance the audio encoder takes (Whisper's 30 s window).</summary>
    public const int MaxSupportedUtteranceMilliseconds = 30000;

    public static bool IsValid(VoiceOptions o) =>
        o.StartMilliseconds is >= 20 and <= 2000 && o.HangoverMilliseconds is >= 20 and <= 10000
        && o.MinUtteranceMilliseconds >= 20 && o.MaxUtteranceMilliseconds <= MaxSupportedUtteranceMilliseconds
        && o.MaxUtteranceMilliseconds > o.MinUtteranceMilliseconds && o.PreRollMilliseconds is >= 0 and <= 2000
        && o.ThresholdDb > 0 && o.MinSpeechDbfs is < 0 and > -120 && o.MinVoicing is > 0 and < 1
        && o.NoiseAdaptSeconds > 0 && o.UtteranceQueue >= 1 && o.MaxConcealMilliseconds is >= 20 and <= 1000;
}
