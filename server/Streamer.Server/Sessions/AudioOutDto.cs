using Streamer.Media.WebRtc;

namespace Streamer.Server.Sessions;

/// <summary>The session's spoken-answer track: what left, what waits, what interrupts threw away.</summary>
public sealed record AudioOutDto(
    long PacketsSent,
    long BytesSent,
    long FramesEncoded,
    double QueuedMs,
    long FramesDroppedOnInterrupt,
    long Interrupts,
    long Underruns)
{
    public static AudioOutDto From(AudioSenderStats stats) => new(
        stats.PacketsSent, stats.BytesSent, stats.FramesEncoded, Speech.AudioOutMetrics.QueuedMilliseconds(stats),
        stats.FramesDroppedOnInterrupt, stats.Interrupts, stats.Underruns);
}
