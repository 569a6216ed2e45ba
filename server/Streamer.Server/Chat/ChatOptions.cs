namespace Streamer.Server.Chat;

/// <summary><c>Chat</c>: limits of the question path, reported to the caller when hit.</summary>
public sealed class ChatOptions
{
    public const string Section = "Chat";

    public int MaxQuestionChars { get; set; } = 2000;

    /// <summary>Questions one session may have queued or being answered at once.</summary>
    public int MaxConcurrentAsksPerSession { get; set; } = 1;

    /// <summary>Questions waiting for the model (all sessions); beyond this an ask is refused.</summary>
    public int GenerationQueueCapacity { get; set; } = 16;

    /// <summary>Answers generated at once per model; one on a CPU, where they would only share the cores.</summary>
    public int ConcurrentGenerations { get; set; } = 1;

    public int MaxNewTokens { get; set; } = 128;

    /// <summary>Text chunks buffered per answer before generation waits for the client.</summary>
    public int ChunkQueue { get; set; } = 64;

    /// <summary>How often joined clients get a session's stats.</summary>
    public double EventIntervalSeconds { get; set; } = 1;

    public static bool IsValid(ChatOptions o) =>
        o.MaxQuestionChars >= 1 && o.MaxConcurrentAsksPerSession >= 1 && o.GenerationQueueCapacity >= 1
        && o.ConcurrentGenerations >= 1 && o.MaxNewTokens >= 1 && o.ChunkQueue >= 1 && o.EventIntervalSeconds > 0;
}
