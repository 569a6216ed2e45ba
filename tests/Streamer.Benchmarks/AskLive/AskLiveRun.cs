namespace Streamer.Benchmarks.AskLive;

/// <summary>
/// What one case (N sessions) measured. Counters are differences over the measured period:
/// from the start of the idle window to the end of the questions.
/// </summary>
public sealed record AskLiveRun
{
    public required int Sessions { get; init; }

    /// <summary>Ingest-to-memory lag per block (ms) while only ingest ran.</summary>
    public required IReadOnlyList<double> IdleLagMs { get; init; }

    /// <summary>The same while every session was asking.</summary>
    public required IReadOnlyList<double> AskingLagMs { get; init; }

    public required IReadOnlyList<AskSample> Hub { get; init; }

    /// <summary>The first session's hub answers (also in <see cref="Hub"/>), each paired with the direct answer asked beside it.</summary>
    public required IReadOnlyList<AskSample> FirstSessionHub { get; init; }

    /// <summary>The direct baseline on the first session, alternating with its hub questions while every session runs.</summary>
    public required IReadOnlyList<AskSample> Direct { get; init; }

    /// <summary>Wall-clock time of the question phase (all sessions asking).</summary>
    public required double QuestionSeconds { get; init; }

    /// <summary>This process's CPU time over the question phase divided by its wall time (2.0: both cores busy).</summary>
    public required double QuestionCpuCores { get; init; }

    public required double MeasuredSeconds { get; init; }

    public required long FramesDecoded { get; init; }

    public required long FramesInMemory { get; init; }

    /// <summary>Encoded frames the decoder's queue dropped (it fell behind the camera).</summary>
    public required long DecoderDropped { get; init; }

    /// <summary>Sampled frames the memory stage's queue dropped (the vision encoder fell behind).</summary>
    public required long MemoryFramesDropped { get; init; }

    /// <summary>Blocks the KV store refused.</summary>
    public required long BlocksDropped { get; init; }

    /// <summary>Frames reaching memory per second and session; the sampling rate when the stage keeps up.</summary>
    public double MemoryFpsPerSession => FramesInMemory / MeasuredSeconds / Sessions;

    /// <summary>Tokens generated per second of the question phase, every session's hub answers and the direct ones together.</summary>
    public double AggregateTokensPerSecond => (Hub.Sum(s => s.Tokens) + Direct.Sum(s => s.Tokens)) / QuestionSeconds;
}
