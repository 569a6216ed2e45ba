namespace Streamer.Server.Sessions;

/// <summary>
/// Received bitrate from a running byte counter, measured over about the last
/// <see cref="Window"/> of reads. Several readers (the stats API, the hub's events) may read at
/// their own pace: every read adds a sample, and the rate is taken against the newest sample
/// that is at least a window old, so a rare reader still gets the recent rate.
/// </summary>
public sealed class BitrateMeter(Func<long> bytes, TimeProvider time)
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(2);

    // Closer reads than this are too short an interval to measure; the last rate stands.
    private static readonly TimeSpan Shortest = TimeSpan.FromMilliseconds(200);

    private readonly Queue<(long At, long Bytes)> _samples = new();
    private readonly Lock _gate = new();
    private double _kbps;

    /// <summary>Kilobits per second received recently; 0 until two reads are far enough apart.</summary>
    public double Kbps
    {
        get
        {
            var now = time.GetTimestamp();
            var total = bytes();
            lock (_gate)
            {
                _samples.Enqueue((now, total));
                while (_samples.Count > 2 && time.GetElapsedTime(_samples.ElementAt(1).At, now) >= Window) _samples.Dequeue();
                var (at, first) = _samples.Peek();
                var span = time.GetElapsedTime(at, now);
                if (span >= Shortest) _kbps = Math.Round((total - first) * 8 / span.TotalSeconds / 1000, 1);
                return _kbps;
            }
        }
    }
}
