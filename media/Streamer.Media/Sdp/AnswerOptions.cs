using System.Net;

namespace Streamer.Media.Sdp;

/// <summary>What the server puts in its answer and what it is willing to receive.</summary>
public sealed record AnswerOptions
{
    public required string IceUfrag { get; init; }

    public required string IcePwd { get; init; }

    public string FingerprintAlgorithm { get; init; } = "sha-256";

    /// <summary>The server's DTLS certificate fingerprint, "AB:CD:...".</summary>
    public required string Fingerprint { get; init; }

    /// <summary>The server's UDP host candidate; also written in c= and the m= port.</summary>
    public required IPEndPoint Candidate { get; init; }

    /// <summary>Video codec names the decoder accepts, matched case-insensitively in the offer's order.</summary>
    public IReadOnlyList<string> VideoCodecs { get; init; } = ["VP8", "H264"];

    public bool AcceptAudio { get; init; } = true;

    /// <summary>Answer the offer's rtx payload type for the chosen video codec, so NACKed packets come back over RTX.</summary>
    public bool AcceptRtx { get; init; } = true;

    /// <summary>RecvOnly to listen; SendRecv when the server also speaks back on the same section.</summary>
    public MediaDirection AudioDirection { get; init; } = MediaDirection.RecvOnly;

    /// <summary>SSRC of the audio the server sends; needed for a=ssrc lines when the answer sends audio.</summary>
    public uint? AudioSendSsrc { get; init; }

    /// <summary>Media stream id for a=msid when the answer sends audio.</summary>
    public string? StreamId { get; init; }

    /// <summary>The o= session id; a random one when null (RFC 8866 section 5.2 wants it unique).</summary>
    public ulong? SessionId { get; init; }
}
