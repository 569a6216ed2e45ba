namespace Streamer.Media.Sdp;

/// <summary>
/// RTX (RFC 4588) answered for a section's codec: retransmissions arrive with
/// <paramref name="PayloadType"/> on their own SSRC and are restored to the codec's.
/// </summary>
/// <param name="PayloadType">The rtx payload type whose apt is the chosen codec.</param>
/// <param name="Ssrcs">RTX SSRC to primary SSRC, from the offer's <c>a=ssrc-group:FID</c> lines; empty when it had none.</param>
public sealed record NegotiatedRtx(int PayloadType, int ClockRate, IReadOnlyDictionary<uint, uint> Ssrcs);
