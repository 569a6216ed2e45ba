namespace Streamer.Server.Voice;

/// <summary>A cut utterance on its way to the model: 16 kHz mono samples and where it sits in the session's media time.</summary>
public sealed record SpokenUtterance(float[] Samples, double MediaTime, double DurationSeconds, UtteranceEnd End);
