using System.Threading.Channels;
using Streamer.Media.Codecs;
using Streamer.Server.Pipeline;
using Streamer.Server.Sessions;

namespace Streamer.Server.Ingest;

/// <summary>
/// A session whose media arrives as encoded video: the decode stage and the frame sink that
/// follow every source (WebRTC, RTSP), and the supervised tasks that run them.
/// </summary>
public abstract class IngestSession : Session
{
    private readonly Channel<VideoFrame> _decoded;
    private readonly List<Task> _tasks = [];
    private readonly StageMetrics _sinkMetrics = new("frame-sink");

    protected IngestSession(string id, string owner, SessionKind kind, Action requestKeyframe, int decoderThreads, int decodedFrameQueue, TimeProvider time)
        : base(id, owner, kind, time)
    {
        Decoder = new VideoDecodeStage(id, Video, requestKeyframe, decoderThreads);
        _decoded = StageChannel.Create<VideoFrame>(ChannelSpec.LatestWins("decoded-frames", decodedFrameQueue), _sinkMetrics);
    }

    public VideoDecodeStage Decoder { get; }

    public LatestFrameSink LatestFrame { get; } = new();

    public override IReadOnlyList<StageMetrics> Stages => [Decoder.Metrics, _sinkMetrics];

    /// <summary>Starts the source under supervision, then the decoder reading <paramref name="encoded"/> and the sink.</summary>
    protected Task StartStages(PipelineSupervisor supervisor, string sourceName, Func<CancellationToken, Task> runSource, ChannelReader<EncodedFrame> encoded)
    {
        var source = supervisor.Start($"{sourceName} {Id}", runSource, Ended);
        _tasks.Add(source);
        _tasks.Add(supervisor.Start($"decode {Id}", ct => Decoder.RunAsync(encoded, _decoded.Writer, ct), Ended));
        _tasks.Add(supervisor.Start($"frame-sink {Id}", ct => LatestFrame.RunAsync(_decoded.Reader, ct), Ended));
        return source;
    }

    protected sealed override async ValueTask DisposeCoreAsync()
    {
        try
        {
            await Task.WhenAll(_tasks).ConfigureAwait(false);
        }
        catch (Exception) when (_tasks.All(t => t.IsCompleted))
        {
            // Failures were logged by the supervisor and recorded on the session.
        }
        await DisposeSourceAsync().ConfigureAwait(false);
        Decoder.Dispose();
        LatestFrame.Dispose();
    }

    /// <summary>Releases the source once every stage has stopped.</summary>
    protected virtual ValueTask DisposeSourceAsync() => ValueTask.CompletedTask;
}
