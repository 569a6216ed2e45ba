namespace Streamer.Server.Apis;

/// <summary>
/// Whether answers are spoken and in which voices: <see cref="Status"/> is "loading", "ready",
/// "off (...)" or "unavailable: reason; answers are text only"; the voices are empty unless ready.
/// </summary>
public sealed record SpeechDto(string Status, IReadOnlyList<string> Speakers, string? DefaultSpeaker);
