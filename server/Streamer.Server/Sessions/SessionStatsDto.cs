using Streamer.Server.Pipeline;
using Streamer.Server.Voice;

namespace Streamer.Server.Sessions;

/// <summary>
/// What the live panels of the client poll: the video counters, every pipeline stage's
/// counters and latency totals (a reader takes the mean over its own interval from two
/// reads), and the streaming memory per tier once the session keeps one.
/// </summary>
public sealed record SessionStatsDto(
    string Id,
    string State,
    VideoDto Video,
    IReadOnlyList<StageStatsDto> Stages,
    MemoryStatsDto? Memory,
    AudioOutDto? AudioOut = null,
    VoiceStatsDto? Voice = null,
    ReceiveStatsDto? Receive = null)
{
    /// <param name="memory">The session's streaming memory; null while it keeps none.</param>
    /// <param name="memoryStages">The stages of that memory (vision encoder, memory), listed after the session's own.</param>
    /// <param name="voice">The session's voice stage; null when it listens to no microphone.</param>
    public static SessionStatsDto From(Session session, MemoryStatsDto? memory, IReadOnlyList<StageMetrics>? memoryStages = null, VoiceStage? voice = null)
    {
        var summary = SessionDto.From(session);
        var audio = session is WebRtc.WebRtcSession { Peer.AudioSender: { } sender } ? AudioOutDto.From(sender.Stats) : null;
        var stages = session.Stages.Concat(memoryStages ?? []).Concat(voice is null ? [] : [voice.Metrics]).Select(StageStatsDto.From).ToList();
        return new(summary.Id, summary.State, summary.Video, stages, memory, audio, voice is null ? null : VoiceStatsDto.From(voice.Stats), session.DescribeReceive());
    }
}

public sealed record StageStatsDto(
    string Stage,
    long ItemsIn,
    long ItemsOut,
    long Dropped,
    int QueueDepth,
    long LatencyCount,
    double LatencyTotalMs,
    double LastLatencyMs)
{
    public static StageStatsDto From(StageMetrics stage) => new(
        stage.Stage, stage.In, stage.Out, stage.Dropped, stage.QueueDepth, stage.LatencyCount, stage.LatencyTotalMs, stage.LastLatencyMs);
}
