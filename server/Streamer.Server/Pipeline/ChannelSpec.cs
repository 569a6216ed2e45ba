using System.Threading.Channels;

namespace Streamer.Server.Pipeline;

/// <summary>
/// A channel between two stages: every channel is bounded and says what happens when full.
/// Live video drops the oldest item; audio, tokens and control wait.
/// </summary>
public sealed record ChannelSpec(string Name, int Capacity, BoundedChannelFullMode FullMode)
{
    public static ChannelSpec LatestWins(string name, int capacity) => new(name, capacity, BoundedChannelFullMode.DropOldest);

    public static ChannelSpec Lossless(string name, int capacity) => new(name, capacity, BoundedChannelFullMode.Wait);
}
