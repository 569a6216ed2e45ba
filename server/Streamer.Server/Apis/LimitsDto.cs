namespace Streamer.Server.Apis;

/// <summary>
/// The configured limits a client needs before it runs into them: question length and answer
/// tokens (<c>Chat</c>), sessions per token and in all (<c>Sessions</c>), the rates frames are
/// sampled into memory (<c>Memory</c>, <c>Rtsp</c>) and how often session events arrive.
/// </summary>
public sealed record LimitsDto(
    int MaxQuestionChars,
    int MaxNewTokens,
    int MaxConcurrentAsksPerSession,
    int MaxSessionsPerToken,
    int MaxSessions,
    double SampleFps,
    double RtspDefaultSampleFps,
    double RtspMaxSampleFps,
    int MaxSdpBytes,
    double EventIntervalSeconds);
