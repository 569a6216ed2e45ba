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
public sealed class RtspSession : Session
{
    private readonly Channel<EncodedFrame> _encoded;
    private readonly Channel<VideoFrame> _decoded;
    private readonly List<Task> _tasks = [];

    public RtspSession(string id, string owner, RtspSourceOptions source, double sampleFps, RtspOptions options, TimeProvider time)
        : base(id, owner, SessionKind.Rtsp, time)
    {
        SampleFps = sampleFps;
        Decoder = new VideoDecodeStage(id, Video, requestKeyframe: static () => { }, options.DecoderThreads);
        // The source is the only writer and completes the channel itself; live video that the
        // decoder cannot keep up with is dropped (oldest first) and counted on the decoder.
        _encoded = StageChannel.Create<EncodedFrame>(ChannelSpec.LatestWins("rtsp-encoded", options.EncodedFrameQueue), Decoder.Metrics);
        _decoded = StageChannel.Create<VideoFrame>(ChannelSpec.LatestWins("decoded-frames", options.DecodedFrameQueue), new StageMetrics("frame-sink"));
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

    public VideoDecodeStage Decoder { get; }

    public LatestFrameSink LatestFrame { get; } = new();

    public override SourceDto DescribeSource() => new(
        Source.RedactedUrl,
        Source.State.ToString().ToLowerInvariant(),
        Source.LastError?.Message,
        Source.Stats.Reconnects,
        Source.Stats.Frames,
        SampleFps);

    public Task Start(PipelineSupervisor supervisor)
    {
        var source = supervisor.Start($"rtsp-source {Id}", Source.RunAsync, Ended);
        _tasks.Add(source);
        _tasks.Add(supervisor.Start($"decode {Id}", ct => Decoder.RunAsync(_encoded.Reader, _decoded.Writer, ct), Ended));
        _tasks.Add(supervisor.Start($"frame-sink {Id}", ct => LatestFrame.RunAsync(_decoded.Reader, ct), Ended));
        return source;
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
        Decoder.Dispose();
        LatestFrame.Dispose();
    }
}
