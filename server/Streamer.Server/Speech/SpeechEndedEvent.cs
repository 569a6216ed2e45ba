using System.Text.Json.Serialization;
using MessagePack;

namespace Streamer.Server.Speech;

/// <summary>
/// Sent to a session's group when a spoken answer's synthesis ends: the answer's last text chunk
/// says "speaking" while audio still follows, and this says how the speech itself ended.
/// </summary>
[MessagePackObject]
public sealed class SpeechEndedEvent
{
    [Key("sessionId")] public string SessionId { get; set; } = "";

    /// <summary>The <see cref="Chat.AnswerMetadata.SpeechId"/> of the answer whose speech ended.</summary>
    [Key("speechId")] public long SpeechId { get; set; }

    /// <summary>"spoken" (with the limit when one stopped it), "interrupted" or "failed: reason".</summary>
    [Key("speech")] public string Speech { get; set; } = "";

    [Key("speaker")] public string Speaker { get; set; } = "";

    /// <summary>Seconds of audio sent to the session's audio track.</summary>
    [Key("audioSeconds")] public double AudioSeconds { get; set; }

    /// <summary>From the question's start to the first audio handed to the track; null if none was.</summary>
    [Key("firstAudioMs")][JsonPropertyName("firstAudioMs")] public double? FirstAudioMilliseconds { get; set; }
}
