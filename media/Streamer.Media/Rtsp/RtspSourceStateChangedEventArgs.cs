namespace Streamer.Media.Rtsp;

public sealed class RtspSourceStateChangedEventArgs(RtspSourceState previous, RtspSourceState current, RtspException? error) : EventArgs
{
    public RtspSourceState Previous { get; } = previous;

    public RtspSourceState Current { get; } = current;

    /// <summary>What caused a change to Retrying or Failed.</summary>
    public RtspException? Error { get; } = error;
}
