using System.Threading.Channels;
using Streamer.Media.Codecs;
using Streamer.Media.Rtsp;

namespace Streamer.Benchmarks.Rtsp;

/// <summary>
/// One camera as Streamer ingests it: an <see cref="RtspSource"/> writing into a bounded
/// channel, and a reader decoding with <see cref="VideoDecoder"/> (one thread) into I420
/// pictures that are released at once. Decodes every frame, or with
/// <c>keyframesOnly</c> only the keyframes (each starts a new picture chain, so nothing in
/// between is needed). The counters are read from any thread while it runs.
/// </summary>
public sealed class CameraPull
{
    // About 5 s of 25 fps video: the decoder never falls that far behind unless it cannot keep up.
    private const int Capacity = 128;

    private readonly Channel<EncodedFrame> _frames = Channel.CreateBounded<EncodedFrame>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true, SingleWriter = true });
    private readonly bool _keyframesOnly;
    private readonly TaskCompletionSource _firstPicture = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _decoded;
    private long _keyframes;
    private long _errors;

    public CameraPull(string url, RtspTransportProtocol transport, bool keyframesOnly)
    {
        _keyframesOnly = keyframesOnly;
        Source = new RtspSource(
            new RtspSourceOptions
            {
                Url = url,
                Client = new RtspClientOptions { Transport = transport },
                JitterSeed = 1,
            },
            _frames.Writer);
    }

    public RtspSource Source { get; }

    /// <summary>Completes when the first picture came out of the decoder.</summary>
    public Task FirstPicture => _firstPicture.Task;

    public long Decoded => Interlocked.Read(ref _decoded);

    public long Keyframes => Interlocked.Read(ref _keyframes);

    /// <summary>Frames the decoder rejected (corrupt, or a delta frame after a loss).</summary>
    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Pulls and decodes until <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var source = Source.RunAsync(cancellationToken);
        try
        {
            await DecodeAsync().ConfigureAwait(false);
        }
        finally
        {
            await source.ConfigureAwait(false);
            while (_frames.Reader.TryRead(out var left))
            {
                left.Dispose();
            }
            _firstPicture.TrySetCanceled(cancellationToken);
        }
    }

    // Ends when the source completes the channel, which it does when cancelled.
    private async Task DecodeAsync()
    {
        using var decoder = VideoDecoder.Create(VideoCodec.H264, threads: 1);
        var pictures = new List<VideoFrame>();
        await foreach (var frame in _frames.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            using (frame)
            {
                if (frame.IsKeyframe)
                {
                    Interlocked.Increment(ref _keyframes);
                }
                else if (_keyframesOnly)
                {
                    continue;
                }
                if (decoder.Decode(frame, pictures) == DecodeStatus.Error)
                {
                    Interlocked.Increment(ref _errors);
                }
            }
            if (pictures.Count > 0)
            {
                Interlocked.Add(ref _decoded, pictures.Count);
                foreach (var picture in pictures)
                {
                    picture.Dispose();
                }
                pictures.Clear();
                _firstPicture.TrySetResult();
            }
        }
    }
}
