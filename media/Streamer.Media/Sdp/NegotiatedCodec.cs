namespace Streamer.Media.Sdp;

/// <summary>The one codec an answered section uses.</summary>
public sealed record NegotiatedCodec(int PayloadType, string Name, int ClockRate, int Channels, string? Fmtp);
