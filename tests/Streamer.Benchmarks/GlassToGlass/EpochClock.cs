namespace Streamer.Benchmarks.GlassToGlass;

/// <summary>
/// Wall-clock time as Unix epoch milliseconds with sub-millisecond resolution, the server's
/// counterpart of the browser's <c>performance.timeOrigin + performance.now()</c>. The wall clock
/// is read once; later readings add the monotonic timestamp's elapsed time, so they are as fine as
/// the timestamp and never jump with clock adjustments during a run.
/// </summary>
public sealed class EpochClock
{
    private readonly TimeProvider _time;
    private readonly long _originTimestamp;
    private readonly double _originMilliseconds;

    public EpochClock(TimeProvider time)
    {
        _time = time;
        // Bracket the wall-clock read and pair it with the middle of the two timestamps.
        var before = time.GetTimestamp();
        var wall = time.GetUtcNow();
        var after = time.GetTimestamp();
        _originTimestamp = before + ((after - before) / 2);
        _originMilliseconds = (wall - DateTimeOffset.UnixEpoch).TotalMilliseconds;
    }

    public double NowMilliseconds() => _originMilliseconds + _time.GetElapsedTime(_originTimestamp).TotalMilliseconds;
}
