using System.Text.Json.Serialization;
using MessagePack;

namespace Streamer.Server.Chat;

/// <summary>What produced an answer and how it ended; sent with the final chunk.</summary>
[MessagePackObject]
public sealed class AnswerMetadata
{
    /// <summary>The model's name; "random (no checkpoint configured)" for the random model.</summary>
    [Key("model")] public string Model { get; set; } = "";

    [Key("randomModel")] public bool RandomModel { get; set; }

    /// <summary>"stop" (end token), "length" (token limit) or "interrupted".</summary>
    [Key("finishReason")] public string FinishReason { get; set; } = "";

    [Key("tokens")] public int Tokens { get; set; }

    [Key("maxTokens")] public int MaxTokens { get; set; }

    [Key("retrievedBlocks")] public int RetrievedBlocks { get; set; }

    [Key("windowBlocks")] public int WindowBlocks { get; set; }

    /// <summary>Time the question waited for the model.</summary>
    [Key("queueMs")][JsonPropertyName("queueMs")] public double QueueMilliseconds { get; set; }

    /// <summary>From leaving the queue to the first token (retrieval and prefill).</summary>
    [Key("firstTokenMs")][JsonPropertyName("firstTokenMs")] public double FirstTokenMilliseconds { get; set; }

    /// <summary>
    /// How the answer was spoken: "spoken", "interrupted", "failed: reason", "off (...)",
    /// "no audio track", or "unavailable: reason" (answers are then text only).
    /// </summary>
    [Key("speech")] public string Speech { get; set; } = "";

    /// <summary>Set when the answer is spoken: the same id comes with its SpeechEnded event.</summary>
    [Key("speechId")] public long? SpeechId { get; set; }

    /// <summary>The voice that spoke the answer, when it was spoken.</summary>
    [Key("speaker")] public string? Speaker { get; set; }

    /// <summary>24 kHz audio handed to the audio track.</summary>
    [Key("audioSeconds")] public double AudioSeconds { get; set; }

    /// <summary>From leaving the queue to the first audio chunk handed to the audio track.</summary>
    [Key("firstAudioMs")][JsonPropertyName("firstAudioMs")] public double? FirstAudioMilliseconds { get; set; }
}
