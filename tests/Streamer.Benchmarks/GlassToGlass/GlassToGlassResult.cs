namespace Streamer.Benchmarks.GlassToGlass;

/// <summary>Every phase of one run, in the order measured, with the clock agreement before and after.</summary>
public sealed record GlassToGlassResult(
    IReadOnlyList<PhaseResult> Phases, ClockOffset ClockBefore, ClockOffset ClockAfter, TimeSpan PhaseDuration, TimeSpan WarmUp, int Fps)
{
    public bool AllMatched => Phases.Count > 0 && Phases.All(p => p.Latency.Count > 0);
}
