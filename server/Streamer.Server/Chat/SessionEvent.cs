using MessagePack;
using Streamer.Server.Voice;

namespace Streamer.Server.Chat;

/// <summary>
/// A session's news for the clients that joined it: <see cref="Type"/> is "streamStarted",
/// "streamStopped" or "stats" (sent periodically with the current figures).
/// </summary>
[MessagePackObject]
public sealed class SessionEvent
{
    public const string StreamStarted = "streamStarted";
    public const string StreamStopped = "streamStopped";
    public const string Stats = "stats";

    [Key("type")] public string Type { get; set; } = "";

    [Key("sessionId")] public string SessionId { get; set; } = "";

    [Key("state")] public string State { get; set; } = "";

    [Key("fps")] public double Fps { get; set; }

    [Key("framesDecoded")] public long FramesDecoded { get; set; }

    /// <summary>Video received from the source, kbit/s over the last seconds.</summary>
    [Key("bitrateKbps")] public double BitrateKbps { get; set; }

    /// <summary>Frames turned into memory blocks and the blocks made.</summary>
    [Key("framesInMemory")] public long FramesInMemory { get; set; }

    [Key("blocks")] public long Blocks { get; set; }

    /// <summary>Sampled frames dropped because the vision encoder fell behind.</summary>
    [Key("framesDropped")] public long FramesDropped { get; set; }

    /// <summary>Blocks the store refused.</summary>
    [Key("blocksDropped")] public long BlocksDropped { get; set; }

    /// <summary>Why the memory stage stopped, when it failed; null while it runs.</summary>
    [Key("memoryError")] public string? MemoryError { get; set; }

    [Key("tiers")] public TierUsage[] Tiers { get; set; } = [];

    /// <summary>The session's voice figures; null when it listens to no microphone.</summary>
    [Key("voice")] public VoiceStatsDto? Voice { get; set; }
}

/// <summary>One memory tier's use.</summary>
[MessagePackObject]
public sealed class TierUsage
{
    [Key("name")] public string Name { get; set; } = "";

    [Key("bytes")] public long Bytes { get; set; }

    [Key("blocks")] public int Blocks { get; set; }

    [Key("maxBytes")] public long MaxBytes { get; set; }
}
