using MessagePack;
using Streamer.Server.Chat;

namespace Streamer.Server.Voice;

/// <summary>
/// One piece of the answer to a spoken question, pushed to the session's group: the fields of
/// <see cref="AnswerChunk"/> plus the session and question it belongs to. The last has
/// <see cref="Done"/> set and the metadata, or an <see cref="Error"/> when answering failed.
/// </summary>
[MessagePackObject]
public sealed class VoiceAnswerChunk
{
    [Key("sessionId")] public string SessionId { get; set; } = "";

    [Key("questionId")] public string QuestionId { get; set; } = "";

    [Key("text")] public string Text { get; set; } = "";

    [Key("done")] public bool Done { get; set; }

    [Key("frameTimes")] public double[] FrameTimes { get; set; } = [];

    [Key("metadata")] public AnswerMetadata? Metadata { get; set; }

    [Key("error")] public string? Error { get; set; }
}
