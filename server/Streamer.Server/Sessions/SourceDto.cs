namespace Streamer.Server.Sessions;

/// <summary>
/// The camera behind an RTSP session: its URL without credentials, connection state
/// (<c>connecting</c>, <c>playing</c>, <c>retrying</c>, <c>failed</c>) and counters.
/// </summary>
public sealed record SourceDto(string Url, string State, string? Error, long Reconnects, long FramesReceived, double SampleFps);
