namespace Streamer.Media.Interceptors;

/// <summary>
/// One remote stream's reception so far (RFC 3550 A.3 and A.8): packets lost on the way (a packet that
/// arrived late still counts as received), and the interarrival jitter converted to milliseconds.
/// </summary>
public readonly record struct ReceptionSummary(long PacketsLost, double JitterMs);
