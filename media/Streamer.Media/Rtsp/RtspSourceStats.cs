namespace Streamer.Media.Rtsp;

/// <summary>Counters of an <see cref="RtspSource"/> over all its connections; read from any thread.</summary>
public sealed class RtspSourceStats
{
    private long _frames;
    private long _framesDropped;
    private long _reconnects;
    private long _bytes;
    private long _packets;

    /// <summary>Frames written to the output.</summary>
    public long Frames => Interlocked.Read(ref _frames);

    /// <summary>Finished frames the output did not accept.</summary>
    public long FramesDropped => Interlocked.Read(ref _framesDropped);

    /// <summary>Sessions opened after the first one.</summary>
    public long Reconnects => Interlocked.Read(ref _reconnects);

    /// <summary>RTP bytes received for the video track.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    public long Packets => Interlocked.Read(ref _packets);

    internal void AddFrame() => Interlocked.Increment(ref _frames);

    internal void AddDropped() => Interlocked.Increment(ref _framesDropped);

    internal void AddReconnect() => Interlocked.Increment(ref _reconnects);

    internal void AddPacket(int bytes)
    {
        Interlocked.Increment(ref _packets);
        Interlocked.Add(ref _bytes, bytes);
    }
}
