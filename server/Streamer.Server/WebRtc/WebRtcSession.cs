using Streamer.Media.WebRtc;
using Streamer.Server.Ingest;
using Streamer.Server.Pipeline;
using Streamer.Server.Sessions;

namespace Streamer.Server.WebRtc;

/// <summary>A browser publishing over WHIP: its peer, then the shared decode stage and frame sink.</summary>
public sealed class WebRtcSession : IngestSession
{
    private readonly BitrateMeter _received;

    public WebRtcSession(string id, string owner, WebRtcPeer peer, WebRtcOptions options, TimeProvider time)
        : base(id, owner, SessionKind.WebRtc, peer.RequestKeyframe, options.DecoderThreads, options.DecodedFrameQueue, time)
    {
        Peer = peer;
        _received = new BitrateMeter(() => peer.Stats.Bytes, time);
        // A first sample at the start, so the first read already has a rate to give.
        _ = _received.Kbps;
        if (peer.VideoCodec is { } codec) Video.Codec = codec == Media.Codecs.VideoCodec.Vp8 ? "VP8" : "H264";
        Peer.StateChanged += state =>
        {
            if (state == PeerState.Connected) MarkLive();
            else if (state == PeerState.Failed) Fail(Peer.CloseReason ?? "peer failed");
        };
    }

    public WebRtcPeer Peer { get; }

    public override long VideoBytesReceived => Peer.Stats.VideoBytes;

    public override ReceiveStatsDto DescribeReceive() => ReceiveStatsDto.From(Peer.Stats, _received.Kbps);

    /// <summary>The voice this session's answers are spoken in; null takes Speech:Speaker.</summary>
    public string? Speaker { get; set; }

    public StageMetrics SpeechSynthesis { get; } = new("speech-synthesis");

    public StageMetrics SpeechSend { get; } = new("speech-send");

    public override IReadOnlyList<StageMetrics> Stages => [.. base.Stages, SpeechSynthesis, SpeechSend];

    /// <summary>Starts the peer and the stages under the supervisor; the returned task ends with the peer.</summary>
    public Task Start(PipelineSupervisor supervisor) => StartStages(supervisor, "webrtc-peer", Peer.RunAsync, Peer.VideoFrames);

    protected override ValueTask DisposeSourceAsync() => Peer.DisposeAsync();
}
