namespace Streamer.Benchmarks.GlassToGlass;

/// <summary>A frame counter value and when it was seen (painted or received), in epoch milliseconds.</summary>
public readonly record struct FrameStamp(int Counter, double AtMilliseconds);
