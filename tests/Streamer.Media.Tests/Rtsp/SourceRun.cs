using System.Diagnostics;
using System.Threading.Channels;
using Streamer.Media.Codecs;
using Streamer.Media.Rtsp;

namespace Streamer.Media.Tests.Rtsp;

/// <summary>Runs an <see cref="RtspSource"/> into a bounded channel and decodes what comes out.</summary>
internal sealed class SourceRun : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<EncodedFrame> _channel = Channel.CreateBounded<EncodedFrame>(new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.Wait });
    private readonly List<RtspSourceState> _states = [];

    public SourceRun(RtspSourceOptions options)
    {
        Source = new RtspSource(options, _channel.Writer);
        Source.StateChanged += (_, e) =>
        {
            lock (_states)
            {
                _states.Add(e.Current);
            }
        };
        Run = Source.RunAsync(_stop.Token);
    }

    public RtspSource Source { get; }

    public Task Run { get; }

    public ChannelReader<EncodedFrame> Frames => _channel.Reader;

    public IReadOnlyList<RtspSourceState> States
    {
        get
        {
            lock (_states)
            {
                return [.. _states];
            }
        }
    }

    /// <summary>Decodes frames until <paramref name="count"/> pictures came out; each picture with the time it was read.</summary>
    public async Task<List<(VideoFrame Picture, TimeSpan At)>> DecodeAsync(VideoCodec codec, int count, TimeSpan timeout)
    {
        using var decoder = VideoDecoder.Create(codec);
        using var deadline = new CancellationTokenSource(timeout);
        var clock = Stopwatch.StartNew();
        var result = new List<(VideoFrame, TimeSpan)>();
        var pictures = new List<VideoFrame>();
        try
        {
            while (result.Count < count)
            {
                using var frame = await Frames.ReadAsync(deadline.Token);
                pictures.Clear();
                decoder.Decode(frame, pictures);
                result.AddRange(pictures.Select(p => (p, clock.Elapsed)));
            }
        }
        catch (OperationCanceledException)
        {
        }
        return result;
    }

    public async Task<bool> WaitForStateAsync(RtspSourceState state, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (Source.State == state)
            {
                return true;
            }
            await Task.Delay(20);
        }
        return Source.State == state;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Run;
        while (_channel.Reader.TryRead(out var frame))
        {
            frame.Dispose();
        }
        _stop.Dispose();
    }
}
