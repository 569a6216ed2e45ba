namespace Streamer.Media.Sdp;

/// <summary>
/// What was agreed for one accepted media section.
/// </summary>
/// <param name="Mid">The section's mid (the m-line index as text when the offer had none).</param>
/// <param name="Feedback">RTCP feedback echoed in the answer, e.g. "nack", "nack pli", "transport-cc".</param>
/// <param name="HeaderExtensions">Accepted RTP header extensions, URI to id.</param>
/// <param name="RemoteSsrcs">The offerer's primary SSRCs; RTX and FEC SSRCs named in groups are left out.</param>
/// <param name="Direction">The answer's direction, from the server's point of view.</param>
public sealed record NegotiatedMedia(
    string Mid,
    MediaKind Kind,
    int MLineIndex,
    NegotiatedCodec Codec,
    IReadOnlyList<string> Feedback,
    IReadOnlyDictionary<string, int> HeaderExtensions,
    IReadOnlyList<uint> RemoteSsrcs,
    MediaDirection Direction)
{
    /// <summary>Retransmissions answered for the codec; null when the offer had no rtx for it or RTX is turned off.</summary>
    public NegotiatedRtx? Rtx { get; init; }
}
