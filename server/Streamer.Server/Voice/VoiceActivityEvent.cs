namespace Streamer.Server.Voice;

public enum VoiceActivityKind
{
    /// <summary>Speech has lasted <see cref="VoiceOptions.StartMilliseconds"/>: someone is talking.</summary>
    SpeechStarted,

    /// <summary>An utterance was cut; <see cref="VoiceActivityEvent.Samples"/> holds it.</summary>
    Utterance,

    /// <summary>Speech ended before <see cref="VoiceOptions.MinUtteranceMilliseconds"/>; nothing is asked.</summary>
    TooShort,
}

/// <summary>Why an utterance ended.</summary>
public enum UtteranceEnd
{
    Silence,
    MaxLength,
    EndOfStream,
}

/// <summary>
/// What the detector saw. Sample indices count 16 kHz samples since the detector started;
/// <see cref="StartSample"/> is the first speech frame, <see cref="Samples"/> begins up to the
/// pre-roll earlier (at <see cref="SamplesStart"/>).
/// </summary>
public sealed record VoiceActivityEvent(VoiceActivityKind Kind, long StartSample, long EndSample)
{
    public float[]? Samples { get; init; }

    public long SamplesStart { get; init; }

    public UtteranceEnd End { get; init; }

    public double DurationSeconds => (EndSample - StartSample) / (double)VoiceActivityDetector.SampleRate;
}
