namespace Streamer.Media.Rtsp;

/// <summary>One "Name: value" line of an RTSP message; names compare case-insensitively.</summary>
public readonly record struct RtspHeader(string Name, string Value);
