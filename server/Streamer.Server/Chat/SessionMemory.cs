using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Streamer.KvStore;
using Streamer.Media.Codecs;
using Streamer.Models.Memory;
using Streamer.Models.Processing;
using Streamer.Server.Ingest;
using Streamer.Server.Models;
using Streamer.Server.Pipeline;
using Streamer.Server.Sessions;

namespace Streamer.Server.Chat;

/// <summary>
/// One session's two model stages. A tap on the decoder converts frames to RGB at the sampling
/// rate (media time: seconds since the session started) into a bounded drop-oldest channel; the
/// vision-encoder stage groups them by the model's temporal patch and runs the video processor
/// and vision encoder (on the vision device); through a bounded waiting channel the memory stage
/// prefills each group on the LLM's device into a <see cref="StreamingVideoMemory"/> whose
/// blocks live in the session's own tiered store (retrieved blocks on the model's device, then
/// host memory, disk and, when configured, Redis), under the session's memory policy. With the
/// encoder on its own device, group n+1 is encoded while group n is prefilled.
/// </summary>
public sealed class SessionMemory : IDisposable
{
    public const string IngestLagName = "streamer_memory_ingest_lag";

    /// <summary>
    /// Per block, from the decode of its newest frame to the block being in memory: what the
    /// queue and the vision encoder and prefill add, and what grows when they fall behind.
    /// The block's older frames waited one sampling period more for it to fill.
    /// </summary>
    public static readonly Histogram<double> IngestLag = StageMetrics.Meter.CreateHistogram<double>(
        IngestLagName, "ms", "Time from the decode of a block's newest frame to the block being in memory");

    private readonly IngestSession _session;
    private readonly MemoryOptions _options;
    private readonly TimeProvider _time;
    private readonly Channel<TimedFrame> _frames;
    private readonly Channel<EncodedFrames> _encoded;
    private readonly TaskCompletionSource<StreamingVideoMemory> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _memoryStopped = new();
    private readonly Lock _gate = new();
    private readonly string _diskFolder;
    private double _nextDue = double.NegativeInfinity;
    private TieredKvStore? _store;
    private StreamingVideoMemory? _memory;
    private long _blocks;
    private long _framesStored;
    private double _lastFrameSeconds = -1;
    private int _activeAsks;

    public SessionMemory(IngestSession session, double sampleFps, MemoryOptions options, TimeProvider time)
    {
        _session = session;
        _options = options;
        _time = time;
        SampleFps = sampleFps;
        _frames = StageChannel.Create<TimedFrame>(ChannelSpec.LatestWins("memory-frames", options.FrameQueue), EncoderMetrics);
        // Waits rather than drops: an encoded group is paid for and the prefill must see every
        // group in media-time order; the backlog falls back on the frame queue, where dropping
        // the oldest frame costs nothing and is counted.
        _encoded = StageChannel.Create<EncodedFrames>(ChannelSpec.Lossless("encoded-frames", options.EncodedQueue), Metrics);
        _diskFolder = Path.Combine(options.DiskFolder, session.Id);
        session.Decoder.FrameDecoded += Tap;
    }

    public string SessionId => _session.Id;

    public double SampleFps { get; }

    /// <summary>The vision-encoder stage: frames in (and dropped when the frame queue is full), encoded groups out.</summary>
    public StageMetrics EncoderMetrics { get; } = new("vision-encoder");

    /// <summary>The memory stage: encoded groups in, groups prefilled and stored out.</summary>
    public StageMetrics Metrics { get; } = new("memory");

    /// <summary>Both stages in flow order, for the stats API.</summary>
    public IReadOnlyList<StageMetrics> Stages => [EncoderMetrics, Metrics];

    /// <summary>Sampled frames dropped because the vision encoder fell behind.</summary>
    public long FramesDropped => EncoderMetrics.Dropped;

    /// <summary>Blocks made so far; a question needs at least one.</summary>
    public long Blocks => Interlocked.Read(ref _blocks);

    public long FramesStored => Interlocked.Read(ref _framesStored);

    /// <summary>Media time of the newest frame in memory, or -1.</summary>
    public double LastFrameSeconds
    {
        get { lock (_gate) return _lastFrameSeconds; }
    }

    /// <summary>The memory once the model has loaded and the sink is prefilled.</summary>
    public StreamingVideoMemory? Memory
    {
        get { lock (_gate) return _memory; }
    }

    /// <summary>The session's memory policy (its own choice, else Memory:Policy).</summary>
    public string Policy => _session.MemoryPolicy ?? _options.Policy;

    public KvStoreSnapshot? StoreSnapshot()
    {
        lock (_gate) return _memory?.Snapshot() ?? _store?.Snapshot();
    }

    public long DroppedBlocks => Memory?.DroppedBlocks ?? 0;

    /// <summary>The figures the stats API and the hub's session events report; tiers are empty until the model has loaded.</summary>
    public MemoryStatsDto Describe()
    {
        var tiers = StoreSnapshot()?.Tiers.Select(t => new MemoryTierDto(t.Name, t.BlocksUsed, t.BytesUsed, t.MaxBytes)).ToList();
        return new MemoryStatsDto(Blocks, FramesStored, FramesDropped, DroppedBlocks, Error, tiers ?? []);
    }

    /// <summary>Why the stage stopped, when it failed.</summary>
    public string? Error { get; private set; }

    /// <summary>Takes an ask slot if fewer than <paramref name="limit"/> are taken.</summary>
    public bool TryEnterAsk(int limit)
    {
        while (true)
        {
            var current = Volatile.Read(ref _activeAsks);
            if (current >= limit) return false;
            if (Interlocked.CompareExchange(ref _activeAsks, current + 1, current) == current) return true;
        }
    }

    public void ExitAsk() => Interlocked.Decrement(ref _activeAsks);

    // Runs on the decode stage for every frame: only frames due at the sampling rate are copied.
    private void Tap(VideoFrame frame)
    {
        var seconds = (_time.GetUtcNow() - _session.CreatedAt).TotalSeconds;
        var period = 1 / SampleFps;
        lock (_gate)
        {
            if (seconds < _nextDue) return;
            // Stay on the sampling grid unless the stream stalled for longer than a period.
            _nextDue = _nextDue + period > seconds - period ? _nextDue + period : seconds + period;
        }
        var image = new RgbImage(frame.ConvertToRgb24(), frame.Width, frame.Height);
        _frames.Writer.TryWrite(new TimedFrame(image, seconds));
    }

    /// <summary>
    /// The vision-encoder stage: once the memory stage has the memory ready, turns every group of
    /// frames into embeddings for it. Stops when the memory stage stops; a failure completes the
    /// encoded channel with the exception, so the memory stage reports it.
    /// </summary>
    public async Task RunEncoderAsync(CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _memoryStopped.Token);
        try
        {
            var memory = await _ready.Task.WaitAsync(stop.Token).ConfigureAwait(false);
            var group = new List<TimedFrame>(memory.FramesPerBlock);
            await foreach (var frame in _frames.Reader.ReadAllAsync(stop.Token).ConfigureAwait(false))
            {
                EncoderMetrics.RecordIn();
                group.Add(frame);
                if (group.Count < memory.FramesPerBlock) continue;
                var started = _time.GetTimestamp();
                var encoded = new EncodedFrames(memory.EncodeFrames(group), group.Count, group[^1].Seconds);
                EncoderMetrics.RecordLatency(_time.GetElapsedTime(started));
                group.Clear();
                try
                {
                    await _encoded.Writer.WriteAsync(encoded, stop.Token).ConfigureAwait(false);
                }
                catch
                {
                    encoded.Dispose();
                    throw;
                }
                EncoderMetrics.RecordOut();
            }
            _encoded.Writer.TryComplete();
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            _encoded.Writer.TryComplete();
        }
        catch (Exception ex)
        {
            _encoded.Writer.TryComplete(ex);
            throw;
        }
    }

    /// <summary>The memory stage: waits for the model, prefills the sink, then turns every encoded group into a block.</summary>
    public async Task RunAsync(Task<LoadedThinker> model, CancellationToken cancellationToken)
    {
        try
        {
            var loaded = await model.WaitAsync(cancellationToken).ConfigureAwait(false);
            var memory = Create(loaded);
            _ready.TrySetResult(memory);
            await foreach (var encoded in _encoded.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                using (encoded)
                {
                    Metrics.RecordIn();
                    var started = _time.GetTimestamp();
                    var made = memory.AppendEncoded(encoded.Group);
                    Metrics.RecordLatency(_time.GetElapsedTime(started));
                    var lagMs = ((_time.GetUtcNow() - _session.CreatedAt).TotalSeconds - encoded.NewestSeconds) * 1000;
                    for (var i = 0; i < made.Count; i++) IngestLag.Record(lagMs);
                    lock (_gate) _lastFrameSeconds = encoded.NewestSeconds;
                    Interlocked.Add(ref _framesStored, encoded.Frames);
                    Interlocked.Add(ref _blocks, made.Count);
                    Metrics.RecordOut();
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            Error = ex.Message;
            throw;
        }
        finally
        {
            // The encoder has nobody to feed any more.
            await _memoryStopped.CancelAsync().ConfigureAwait(false);
            _ready.TrySetCanceled(CancellationToken.None);
        }
    }

    private StreamingVideoMemory Create(LoadedThinker loaded)
    {
        var host = new HostMemoryTier(new HostMemoryTierOptions { MaxBytes = _options.HostBytes });
        var disk = new DiskTier(new DiskTierOptions { Directory = _diskFolder, MaxBytes = _options.DiskBytes });
        IKvTier[] tiers = _options.Redis.Enabled ? [host, disk, new RedisTier(_options.Redis.ToTierOptions(_session.Id))] : [host, disk];
        var store = new TieredKvStore(tiers, new KvStoreOptions { Name = "kv-" + _session.Id }, _time);
        var defaults = new Qwen2VLVideoProcessor().Options;
        var processor = new Qwen2VLVideoProcessor(defaults with
        {
            MinPixels = _options.MinPixels ?? defaults.MinPixels,
            MaxPixels = _options.MaxPixels ?? defaults.MaxPixels,
            TemporalPatchSize = loaded.Thinker.Config.VisionConfig.TemporalPatchSize,
            PatchSize = loaded.Thinker.Config.VisionConfig.PatchSize,
            MergeSize = loaded.Thinker.Config.VisionConfig.SpatialMergeSize,
        });
        var memory = new StreamingVideoMemory(loaded.Thinker, store, _session.Id, new StreamingMemoryOptions
        {
            SamplingFps = SampleFps,
            WindowTokens = _options.WindowTokens,
            TopKFrames = _options.TopKFrames,
            Device = loaded.Device,
            Policy = Policy,
            LiveVlm = _options.LiveVlm,
            FlashVStream = _options.FlashVStream,
            DeviceBlocks = _options.DeviceBlocks,
        }, processor, _time);
        try
        {
            using var sink = TorchSharp.torch.tensor(AnswerPrompt.SinkIds(loaded), [1, AnswerPrompt.SinkIds(loaded).Length]);
            memory.PrefillSink(sink);
        }
        catch
        {
            memory.Dispose();
            store.Dispose();
            throw;
        }
        lock (_gate)
        {
            _store = store;
            _memory = memory;
        }
        return memory;
    }

    public void Dispose()
    {
        _session.Decoder.FrameDecoded -= Tap;
        _frames.Writer.TryComplete();
        // Groups encoded after the memory stage stopped still own tensors.
        while (_encoded.Reader.TryRead(out var left)) left.Dispose();
        _memoryStopped.Dispose();
        lock (_gate)
        {
            _memory?.Dispose();
            _store?.Dispose();
            _memory = null;
            _store = null;
        }
        EncoderMetrics.DetachQueue();
        Metrics.DetachQueue();
        try
        {
            if (Directory.Exists(_diskFolder)) Directory.Delete(_diskFolder, recursive: true);
        }
        catch (IOException)
        {
            // A folder still in use is left for the operator; it holds only this session's blocks.
        }
    }
}
