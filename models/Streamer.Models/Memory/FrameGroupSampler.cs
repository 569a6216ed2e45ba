using Streamer.Models.Processing;

namespace Streamer.Models.Memory;

/// <summary>
/// Live counterpart of <see cref="Qwen2VLVideoProcessor.SampleFrames"/>: frames arrive in time
/// order, sample times are t0, t0 + 1/fps, ... from the first frame, and each takes the latest
/// frame not after it, known once a later frame arrives (or at once when one lands on the sample
/// time). Sampled frames carry their sample time, so groups are evenly spaced in media time,
/// and every <c>framesPerGroup</c> of them form a group. Not thread-safe: one per stream.
/// </summary>
public sealed class FrameGroupSampler
{
    // Matches the offline sampler's tolerance, so both pick the same frames.
    private const double Tolerance = 1e-9;

    private readonly double _fps;
    private readonly int _framesPerGroup;
    private readonly List<TimedFrame> _pending = [];
    private TimedFrame? _last;
    private double _start;
    private long _k;

    public FrameGroupSampler(double fps, int framesPerGroup)
    {
        if (!(fps > 0) || double.IsInfinity(fps))
        {
            throw new ArgumentOutOfRangeException(nameof(fps), fps, "sampling rate must be positive");
        }
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(framesPerGroup);
        _fps = fps;
        _framesPerGroup = framesPerGroup;
    }

    /// <summary>Takes the next frame; returns the groups it completed (usually none or one).</summary>
    public IReadOnlyList<TimedFrame[]> Add(TimedFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (_last is null)
        {
            _start = frame.Seconds;
        }
        else if (frame.Seconds < _last.Seconds)
        {
            // Out-of-order frames cannot change a sample already taken; drop them.
            return [];
        }
        var groups = new List<TimedFrame[]>();
        // Sample times come from an index, not a running sum, so rounding does not drift.
        while (_last is not null && frame.Seconds > SampleTime(_k) + Tolerance)
        {
            Take(_last, groups);
        }
        if (Math.Abs(frame.Seconds - SampleTime(_k)) <= Tolerance)
        {
            Take(frame, groups);
        }
        _last = frame;
        return groups;
    }

    private double SampleTime(long k) => _start + k / _fps;

    private void Take(TimedFrame frame, List<TimedFrame[]> groups)
    {
        _pending.Add(frame with { Seconds = SampleTime(_k) });
        _k++;
        if (_pending.Count == _framesPerGroup)
        {
            groups.Add([.. _pending]);
            _pending.Clear();
        }
    }
}
