namespace Streamer.Models.Memory;

/// <summary>The configuration names of the streaming memory policies (<see cref="StreamingMemoryOptions.Policy"/>).</summary>
public static class MemoryPolicyNames
{
    public const string ReKV = "rekv";

    public const string LiveVlm = "livevlm";

    public const string FlashVStream = "flashvstream";

    public static IReadOnlyList<string> All { get; } = [ReKV, LiveVlm, FlashVStream];
}
