namespace Streamer.Models.Processing;

/// <summary>A decoded frame and its media time in seconds on the session clock.</summary>
public sealed record TimedFrame(RgbImage Image, double Seconds);
