using Streamer.Media.Codecs;
using Streamer.Media.WebRtc;
using Streamer.Server.Ingest;
using Streamer.Server.Pipeline;
using Streamer.Server.Sessions;

namespace Streamer.Server.WebRtc;

/// <summary>A browser publishing over WHIP: its peer, the decode stage and the frame sink.</summary>
public sealed class WebRtcSession : Session
{
    private readonly List<Task> _tasks = [];

    public WebRtcSession(string id, string owner, WebRtcPeer peer, WebRtcOptions options, TimeProvider time)
        : base(id, owner, SessionKind.WebRtc, time)
    {
        Peer = peer;
        Decoder = new VideoDecodeStage(id, Video, peer.RequestKeyframe, options.DecoderThreads);
        DecodedFrames = StageChannel.Create<VideoFrame>(ChannelSpec.LatestWins("decoded-frames", options.DecodedFrameQueue), new StageMetrics("frame-sink"));
        if (peer.VideoCodec is { } codec) Video.Codec = codec == Media.Codecs.VideoCodec.Vp8 ? "VP8" : "H264";
    }

    public WebRtcPeer Peer { get; }

    public VideoDecodeStage Decoder { get; }

    public LatestFrameSink LatestFrame { get; } = new();

    private System.Threading.Channels.Channel<VideoFrame> DecodedFrames { get; }

    /// <summary>Starts the peer and the stages under the supervisor; the returned task ends with the peer.</summary>
    public Task Start(PipelineSupervisor supervisor)
    {
        Peer.StateChanged += state =>
        {
            if (state == PeerState.Connected) MarkLive();
            else if (state == PeerState.Failed) Fail(Peer.CloseReason ?? "peer failed");
        };
        var peer = supervisor.Start($"webrtc-peer {Id}", Peer.RunAsync, Ended);
        _tasks.Add(peer);
        _tasks.Add(supervisor.Start($"decode {Id}", ct => Decoder.RunAsync(Peer.VideoFrames, DecodedFrames.Writer, ct), Ended));
        _tasks.Add(supervisor.Start($"frame-sink {Id}", ct => LatestFrame.RunAsync(DecodedFrames.Reader, ct), Ended));
        return peer;
    }

    protected override async ValueTask DisposeCoreAsync()
    {
        try
        {
            await Task.WhenAll(_tasks).ConfigureAwait(false);
        }
        catch (Exception) when (_tasks.All(t => t.IsCompleted))
        {
            // Failures were logged by the supervisor and recorded on the session.
        }
        await Peer.DisposeAsync().ConfigureAwait(false);
        Decoder.Dispose();
        LatestFrame.Dispose();
    }
}
