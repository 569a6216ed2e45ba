namespace Streamer.Media.Sdp;

/// <summary>The "t=" line; WebRTC always sends <c>t=0 0</c> (unbounded).</summary>
public sealed record SdpTiming(ulong Start, ulong Stop)
{
    public override string ToString() => $"{Start} {Stop}";
}
