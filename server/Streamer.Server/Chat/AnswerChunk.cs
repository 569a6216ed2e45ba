using MessagePack;

namespace Streamer.Server.Chat;

/// <summary>
/// One piece of a streamed answer: text as it is generated; the last chunk has
/// <see cref="Done"/> set, may carry no text, and carries <see cref="Metadata"/>.
/// <see cref="FrameTimes"/>: media times (seconds since the session started) of the frames the
/// answer drew on. Keys are camelCase in JSON and MessagePack alike.
/// </summary>
[MessagePackObject]
public sealed class AnswerChunk
{
    [Key("text")] public string Text { get; set; } = "";

    [Key("done")] public bool Done { get; set; }

    [Key("frameTimes")] public double[] FrameTimes { get; set; } = [];

    [Key("metadata")] public AnswerMetadata? Metadata { get; set; }
}
