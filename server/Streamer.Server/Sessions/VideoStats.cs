namespace Streamer.Server.Sessions;

/// <summary>What the decoder has produced for a session; updated by the decode stage.</summary>
public sealed class VideoStats(TimeProvider time)
{
    private static readonly TimeSpan FpsWindow = TimeSpan.FromSeconds(2);
    private readonly Queue<long> _recent = new();
    private readonly Lock _lock = new();
    private long _framesDecoded;

    public string? Codec { get; set; }
    public int Width { get; private set; }
    public int Height { get; private set; }
    public long FramesDecoded => Interlocked.Read(ref _framesDecoded);
    public long DecodeErrors { get; private set; }

    public void RecordFrame(int width, int height)
    {
        var now = time.GetTimestamp();
        lock (_lock)
        {
            Width = width;
            Height = height;
            _recent.Enqueue(now);
            Trim(now);
        }
        Interlocked.Increment(ref _framesDecoded);
    }

    public void RecordDecodeError()
    {
        lock (_lock) DecodeErrors++;
    }

    /// <summary>Decoded frames per second over the last two seconds.</summary>
    public double Fps
    {
        get
        {
            lock (_lock)
            {
                var now = time.GetTimestamp();
                Trim(now);
                if (_recent.Count < 2) return 0;
                var span = time.GetElapsedTime(_recent.Peek(), now);
                // With frames spread over less than the window, measure over what was seen.
                var seconds = Math.Max(span.TotalSeconds, 1e-3);
                return Math.Round((_recent.Count - 1) / seconds, 2);
            }
        }
    }

    private void Trim(long now)
    {
        while (_recent.Count > 0 && time.GetElapsedTime(_recent.Peek(), now) > FpsWindow) _recent.Dequeue();
    }
}
