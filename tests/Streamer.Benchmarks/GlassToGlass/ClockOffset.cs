namespace Streamer.Benchmarks.GlassToGlass;

/// <summary>
/// How far the browser's epoch clock is ahead of the server's, read over a page round trip:
/// both sides claim the same wall clock, and this says how well they agree (within half the
/// round trip). A latency is only as trustworthy as this offset is small.
/// </summary>
public sealed record ClockOffset(double OffsetMilliseconds, double RoundTripMilliseconds)
{
    private const int Samples = 20;

    /// <summary>The sample with the shortest round trip, where the browser's reading sits closest to the middle.</summary>
    public static async Task<ClockOffset> MeasureAsync(CounterPage page, EpochClock clock)
    {
        ClockOffset? best = null;
        for (var i = 0; i < Samples; i++)
        {
            var before = clock.NowMilliseconds();
            var browser = await page.NowAsync();
            var after = clock.NowMilliseconds();
            var sample = new ClockOffset(browser - ((before + after) / 2), after - before);
            if (best is null || sample.RoundTripMilliseconds < best.RoundTripMilliseconds)
            {
                best = sample;
            }
        }
        return best!;
    }
}
