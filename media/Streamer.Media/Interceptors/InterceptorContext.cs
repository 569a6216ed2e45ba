namespace Streamer.Media.Interceptors;

/// <summary>What every interceptor of one connection shares: its clock and the SSRC it sends RTCP from.</summary>
public sealed record InterceptorContext(TimeProvider Time, uint LocalSsrc);
