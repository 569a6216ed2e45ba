using MessagePack;

namespace Streamer.Server.Voice;

/// <summary>
/// Sent to a session's group when an utterance is cut and asked. Its answer follows as
/// <see cref="VoiceAnswerChunk"/>s with the same <see cref="QuestionId"/>, unless
/// <see cref="Error"/> says why it could not be asked.
/// </summary>
[MessagePackObject]
public sealed class VoiceQuestionEvent
{
    [Key("sessionId")] public string SessionId { get; set; } = "";

    [Key("questionId")] public string QuestionId { get; set; } = "";

    /// <summary>Media time (seconds since the session started) at which the speech began.</summary>
    [Key("mediaTime")] public double MediaTime { get; set; }

    [Key("durationSeconds")] public double DurationSeconds { get; set; }

    /// <summary>"silence" (a pause ended it), "maxLength" (cut at Voice:MaxUtteranceMilliseconds) or "endOfStream".</summary>
    [Key("end")] public string End { get; set; } = "";

    /// <summary>Why the question was not asked (no video yet, queue full, ...); null when it was.</summary>
    [Key("error")] public string? Error { get; set; }
}
