using System.Threading.Channels;
using Streamer.Media.Codecs;
using Streamer.Media.Rtsp;
using Streamer.Server.Ingest;
using Streamer.Server.Pipeline;
using Streamer.Server.Sessions;

namespace Streamer.Server.Rtsp;

/// <summary>
/// An IP camera pulled over RTSP. The source reconnects on its own with backoff; the session,
/// its decoder and everything downstream live on across reconnects, so <c>framesDecoded</c>
/// keeps counting.
/// </summary>
public sealed class RtspSession : IngestSession
{
    private readonly Channel<EncodedFrame> _encoded;

    public RtspSession(string id, string owner, RtspSourceOptions source, double sampleFps, RtspOptions options, TimeProvider time)
        : base(id, owner, SessionKind.Rtsp, requestKeyframe: static () => { }, options.DecoderThreads, options.DecodedFrameQueue, time)
    {
        SampleFps = sampleFps;
        // The source is the only writer and completes the channel itself; live video that the
        // decoder cannot keep up with is dropped (oldest first) and counted on the decoder.
        _encoded = StageChannel.Create<EncodedFrame>(ChannelSpec.LatestWins("rtsp-encoded", options.EncodedFrameQueue), Decoder.Metrics);
        Source = new RtspSource(source, _encoded.Writer, time);
        Source.StateChanged += (_, change) =>
        {
            switch (change.Current)
            {
                case RtspSourceState.Playing: MarkLive(); break;
                case RtspSourceState.Retrying: MarkReconnecting(); break;
                case RtspSourceState.Failed: Fail(change.Error?.Message ?? "the camera could not be reached"); break;
            }
        };
    }

    public RtspSource Source { get; }

    public double SampleFps { get; }

    public override long VideoBytesReceived => Source.Stats.Bytes;

    public override SourceDto DescribeSource() => new(
        Source.RedactedUrl,
        Source.State.ToString().ToLowerInvariant(),
        Source.LastError?.Message,
        Source.Stats.Reconnects,
        Source.Stats.Frames,
        SampleFps);

    public override ReceiveStatsDto DescribeReceive() => ReceiveStatsDto.From(Source.Stats, VideoKbps);

    /// <summary>Starts the camera source and the stages under the supervisor; the returned task ends with the source.</summary>
    public Task Start(PipelineSupervisor supervisor) => StartStages(supervisor, "rtsp-source", Source.RunAsync, _encoded.Reader);
}
