using System.Diagnostics.Metrics;
using Streamer.KvStore;
using Streamer.Models.Generation;
using Streamer.Models.Processing;
using Streamer.Models.Qwen25Omni;
using TorchSharp;
using static TorchSharp.torch;

namespace Streamer.Models.Memory;

/// <summary>
/// One session's streaming video memory (ReKV). The initial prompt is prefilled once and kept
/// as an attention sink. Each group of frames (one temporal patch) runs through the vision
/// encoder and is prefilled into the LLM attending only to the sink and the recent window, at
/// its true TMRoPE positions (time from media time, height and width from the patch grid). The
/// group's keys and values (rotary applied) become a KV block in the store with its media time,
/// positions and per-layer retrieval keys; the window then drops its oldest blocks until it
/// holds at most <see cref="StreamingMemoryOptions.WindowTokens"/> tokens, so the working cache
/// is bounded however long the stream runs. What the store keeps of each block and what a
/// question is answered over is the <see cref="Policy"/> the options name; blocks a question
/// retrieved stay on the model's device in the <see cref="DeviceTier"/>. Opened over a store
/// that already holds blocks of the same session (a restart over the disk tier), the memory
/// resumes after them: block numbers, media time and rotary positions continue where the
/// stored stream ended, and retrieval spans old and new blocks. All members are thread-safe.
/// </summary>
public sealed class StreamingVideoMemory : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Qwen25OmniThinker _thinker;
    private readonly KvCache _working;
    private readonly LinkedList<MemoryBlock> _window = new();
    private readonly float _positionsPerSecond;
    private long _nextSequence;
    private long _nextPosition;
    private long _videoStart = -1;
    private TimeSpan? _streamStart;
    private FrameGroupSampler? _sampler;
    private int _windowTokens;
    private readonly IMemoryBlockAdmission _admission;
    private readonly KvStreamExtent? _resumed;
    private TimeSpan? _mediaOffset;
    private long? _timeShift;
    private bool _disposed;

    /// <param name="thinker">Runs the vision encoder and the LLM; not owned.</param>
    /// <param name="store">Receives the blocks; not owned (several sessions share one store).</param>
    /// <param name="sessionId">Names the session's blocks in the store.</param>
    /// <param name="timeProvider">Times the device tier's loads.</param>
    /// <param name="meterFactory">Creates the device tier's meter; a private one without it.</param>
    public StreamingVideoMemory(Qwen25OmniThinker thinker, TieredKvStore store, string sessionId,
        StreamingMemoryOptions? options = null, Qwen2VLVideoProcessor? processor = null,
        TimeProvider? timeProvider = null, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(thinker);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        Options = options ?? new StreamingMemoryOptions();
        Options.Validate();
        var device = torch.device(Options.Device);
        if (device.type != thinker.Device.type || device.index != thinker.Device.index)
        {
            throw new ArgumentException($"memory device {Options.Device} differs from the thinker's {thinker.Device}");
        }
        _thinker = thinker;
        Store = store;
        SessionId = sessionId;
        Processor = processor ?? new Qwen2VLVideoProcessor();
        _working = new KvCache(thinker.TextConfig.NumHiddenLayers);
        _positionsPerSecond = (float)thinker.Config.PositionIdPerSeconds;
        PinnedStaging = BlockUpload.UsesPinnedStaging(device);
        _resumed = store.GetIndex(sessionId)?.Extent;
        if (_resumed is { } stored)
        {
            _nextSequence = stored.LastSequence + 1;
            // Time positions count from the stored stream's first block, as if it had never stopped.
            _streamStart = stored.FirstMediaStart;
        }
        DeviceTier = new DeviceBlockTier(Options.DeviceBlocks, sessionId, timeProvider, meterFactory);
        (Policy, _admission) = CreatePolicy();
    }

    /// <summary>Blocks retrieved for questions, kept as tensors on the model's device.</summary>
    public DeviceBlockTier DeviceTier { get; }

    /// <summary>True when blocks reach the device through page-locked staging (a CUDA device).</summary>
    public bool PinnedStaging { get; }

    /// <summary>Where the stored stream ended when this memory was opened over it; null for a new stream.</summary>
    public KvStreamExtent? Resumed => _resumed;

    /// <summary>The store's snapshot with the device tier first, hottest to coldest.</summary>
    public KvStoreSnapshot Snapshot()
    {
        var store = Store.Snapshot();
        return store with { Tiers = [DeviceTier.Snapshot(), .. store.Tiers] };
    }

    /// <summary>The policy <see cref="StreamingMemoryOptions.Policy"/> names; ask it for answer contexts.</summary>
    public IStreamingMemoryPolicy Policy { get; }

    public StreamingMemoryOptions Options { get; }

    public Qwen2VLVideoProcessor Processor { get; }

    public TieredKvStore Store { get; }

    public string SessionId { get; }

    public Qwen25OmniThinker Thinker => _thinker;

    /// <summary>Frames per block: the model's temporal patch.</summary>
    public int FramesPerBlock => Processor.Options.TemporalPatchSize;

    public long SinkLength { get; private set; } = -1;

    /// <summary>Tokens of the blocks in the recent window.</summary>
    public int WindowTokens
    {
        get
        {
            lock (_gate)
            {
                return _windowTokens;
            }
        }
    }

    /// <summary>Positions held by the working cache: sink plus window.</summary>
    public long WorkingLength
    {
        get
        {
            lock (_gate)
            {
                return _working.Length;
            }
        }
    }

    /// <summary>The blocks in the recent window, oldest first.</summary>
    public IReadOnlyList<MemoryBlock> WindowBlocks
    {
        get
        {
            lock (_gate)
            {
                return [.. _window];
            }
        }
    }

    /// <summary>The rotary position the next text token takes: one past every position so far.</summary>
    public long NextPosition
    {
        get
        {
            lock (_gate)
            {
                return _nextPosition;
            }
        }
    }

    /// <summary>Blocks the store refused (counted, never thrown); the stream goes on without them.</summary>
    public long DroppedBlocks { get; private set; }

    internal Lock Gate => _gate;

    internal KvCache Working => _working;

    /// <summary>
    /// Prefills the initial prompt ([1, S] ids, ending where video begins, e.g. with
    /// <c>&lt;|vision_bos|&gt;</c>) at positions 0..S-1; it stays in every attention as the sink.
    /// </summary>
    public void PrefillSink(Tensor promptIds)
    {
        ArgumentNullException.ThrowIfNull(promptIds);
        if (promptIds.dim() != 2 || promptIds.shape[0] != 1 || promptIds.shape[1] == 0)
        {
            throw new ArgumentException("the sink prompt is one non-empty row [1, S]");
        }
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (SinkLength >= 0)
            {
                throw new InvalidOperationException("the sink is already prefilled");
            }
            using var scope = NewDisposeScope();
            var (positions, _) = Qwen25OmniRopeIndex.GetRopeIndex(_thinker.Config, promptIds);
            using var output = _thinker.forward(promptIds, null, positions.to(_thinker.Device), null, _working, logitsToKeep: 1);
            SinkLength = _working.Length;
            _nextPosition = positions.max().item<long>() + 1;
            _videoStart = _nextPosition;
            if (_resumed is { MaxRotaryPosition: >= 0 } stored)
            {
                // The question and new blocks come after every stored position.
                _nextPosition = Math.Max(_nextPosition, stored.MaxRotaryPosition + 1L);
            }
        }
    }

    /// <summary>
    /// Takes a decoded frame of the live stream (in time order): frames are sampled at
    /// <see cref="StreamingMemoryOptions.SamplingFps"/> and each completed group becomes a block.
    /// Returns the blocks made by this frame, usually none or one.
    /// </summary>
    public IReadOnlyList<MemoryBlock> AddFrame(TimedFrame frame)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _sampler ??= new FrameGroupSampler(Options.SamplingFps, FramesPerBlock);
            var made = new List<MemoryBlock>();
            foreach (var group in _sampler.Add(frame))
            {
                made.AddRange(AppendFrames(group));
            }
            return made;
        }
    }

    /// <summary>
    /// <paramref name="frames"/> are one or more whole groups already sampled at
    /// <see cref="StreamingMemoryOptions.SamplingFps"/>, the first at its media time. Returns the
    /// blocks made, one per group: <see cref="EncodeFrames"/> then <see cref="AppendEncoded"/>.
    /// </summary>
    public IReadOnlyList<MemoryBlock> AppendFrames(IReadOnlyList<TimedFrame> frames)
    {
        using var encoded = EncodeFrames(frames);
        return AppendEncoded(encoded);
    }

    /// <summary>
    /// Runs the vision encoder on processed frames (grid [1, 3]; t temporal groups) and prefills
    /// each group as one block, the first starting at <paramref name="mediaStart"/> and each
    /// lasting the processor's second_per_grid: <see cref="Encode"/> then <see cref="AppendEncoded"/>.
    /// </summary>
    public IReadOnlyList<MemoryBlock> AppendFrames(Qwen2VLVisionInputs inputs, TimeSpan mediaStart)
    {
        using var encoded = Encode(inputs, mediaStart);
        return AppendEncoded(encoded);
    }

    /// <summary>
    /// The first half of <see cref="AppendFrames(IReadOnlyList{TimedFrame})"/>: the video processor
    /// and the vision encoder (on the thinker's vision device). Takes no lock of the memory, so it
    /// may run on another thread while an earlier group is prefilled.
    /// </summary>
    public EncodedFrameGroup EncodeFrames(IReadOnlyList<TimedFrame> frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        if (frames.Count == 0 || frames.Count % FramesPerBlock != 0)
        {
            throw new ArgumentException($"{frames.Count} frames are not whole groups of {FramesPerBlock}");
        }
        using var inputs = Processor.Process(frames.Select(f => f.Image).ToArray(), Options.SamplingFps);
        return Encode(inputs, TimeSpan.FromSeconds(frames[0].Seconds));
    }

    /// <summary>The vision encoder on processed frames (grid [1, 3]), the first group at <paramref name="mediaStart"/>.</summary>
    public EncodedFrameGroup Encode(Qwen2VLVisionInputs inputs, TimeSpan mediaStart)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.GridThw.shape[0] != 1)
        {
            throw new ArgumentException("append one clip at a time");
        }
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed), this);
        var grid = inputs.GridThw.data<long>().ToArray();
        var merge = _thinker.Config.VisionConfig.SpatialMergeSize;
        var secondsPerGroup = inputs.SecondPerGrid is { } spg ? spg.data<float>()[0] : (float)(FramesPerBlock / Options.SamplingFps);
        using var scope = NewDisposeScope();
        var vision = _thinker.visual.forward(inputs.PixelValues.to(_thinker.VisionDevice), inputs.GridThw);
        // Out of every scope: the group is prefilled on another thread, whose scopes are its own.
        var embeddings = vision.MergedEmbeddings.DetachFromDisposeScope();
        return new EncodedFrameGroup(embeddings, checked((int)grid[0]), grid[1] / merge, grid[2] / merge, mediaStart, secondsPerGroup);
    }

    /// <summary>
    /// The second half of <see cref="AppendFrames(IReadOnlyList{TimedFrame})"/>: moves the
    /// embeddings to the LLM's device and dtype and prefills each group as one block, in the
    /// order groups are appended (media time must not go backwards). Does not dispose
    /// <paramref name="encoded"/>.
    /// </summary>
    public IReadOnlyList<MemoryBlock> AppendEncoded(EncodedFrameGroup encoded)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        var (rows, cols, perGroup) = (encoded.Rows, encoded.Cols, encoded.TokensPerGroup);
        var secondsPerGroup = encoded.SecondsPerGroup;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (SinkLength < 0)
            {
                throw new InvalidOperationException("prefill the sink before the first frames");
            }
            using var scope = NewDisposeScope();
            var embeds = encoded.Embeddings.to(_thinker.DType, _thinker.Device);
            var made = new List<MemoryBlock>(encoded.Groups);
            for (var g = 0; g < encoded.Groups; g++)
            {
                var start = encoded.MediaStart + TimeSpan.FromSeconds((double)(g * secondsPerGroup));
                var end = start + TimeSpan.FromSeconds(secondsPerGroup);
                made.Add(AppendGroup(embeds.narrow(0, g * perGroup, perGroup).unsqueeze(0), rows, cols, start, end));
            }
            return made;
        }
    }

    // Prefills one group over sink + window, stores it as a block, then slides the window.
    private MemoryBlock AppendGroup(Tensor embeds, long rows, long cols, TimeSpan start, TimeSpan end)
    {
        using var scope = NewDisposeScope();
        if (_resumed is { } stored && _mediaOffset is null)
        {
            // A new process's clock may start again at zero: shift it to continue after the stored stream.
            _mediaOffset = start < stored.LastMediaEnd ? stored.LastMediaEnd - start : TimeSpan.Zero;
        }
        start += _mediaOffset ?? TimeSpan.Zero;
        end += _mediaOffset ?? TimeSpan.Zero;
        _streamStart ??= start;
        var tokens = (int)(rows * cols);
        var positions = GroupPositions(start, rows, cols);
        var past = _working.Length;
        var layers = _thinker.TextConfig.NumHiddenLayers;
        var probe = new MeanProjectionProbe(layers, _thinker.TextConfig.NumKeyValueHeads, recordQueries: false);
        var policyProbe = _admission.CreateBlockProbe();
        IAttentionProbe probes = policyProbe is null ? probe : new ProbeFanOut(probe, policyProbe);
        using (_thinker.forward(null, embeds, tensor(positions, [3, 1, tokens]).to(_thinker.Device), null, _working, logitsToKeep: 1, probe: probes))
        {
        }
        var keys = new Tensor[layers];
        var values = new Tensor[layers];
        for (var i = 0; i < layers; i++)
        {
            keys[i] = _working.Keys(i)!.narrow(2, past, tokens);
            values[i] = _working.Values(i)!.narrow(2, past, tokens);
        }
        var (payload, shapes) = KvBlockTensors.Encode(keys, values);
        var id = new KvBlockId(SessionId, _nextSequence++);
        var metadata = new KvBlockMetadata(id, start, end, tokens, KvBlockTensors.DTypeName(_thinker.DType), shapes,
            3, positions.Select(p => checked((int)p)).ToArray(), probe.Means());
        var full = new KvBlock(metadata, payload);
        var maxPosition = positions.Max();
        _nextPosition = Math.Max(_nextPosition, maxPosition + 1);
        var block = new MemoryBlock(id, start, end, tokens, maxPosition);
        _window.AddLast(block);
        _windowTokens += tokens;
        while (_windowTokens > Options.WindowTokens && _window.First is { } oldest)
        {
            _working.RemoveRange(SinkLength, oldest.Value.Tokens);
            _windowTokens -= oldest.Value.Tokens;
            _window.RemoveFirst();
        }
        StoreLocked(full, policyProbe);
        return block;
    }

    /// <summary>
    /// Passes a ready block (made outside <see cref="AppendFrames(IReadOnlyList{TimedFrame})"/>,
    /// e.g. restored or synthetic) through the policy into the store, as if it had just left prefill.
    /// </summary>
    internal void StoreBlock(KvBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            StoreLocked(block, null);
        }
    }

    private void StoreLocked(KvBlock full, IAttentionProbe? policyProbe)
    {
        var admitted = _admission.Admit(full, policyProbe);
        // A replaced block must not be answered from its old tensors.
        DeviceTier.Remove(admitted.Id);
        var put = Store.Put(admitted);
        if (!put.Stored)
        {
            // The window still holds the group, so the stream goes on; the block just cannot be retrieved later.
            DroppedBlocks++;
        }
        _admission.Stored(admitted, put.Stored, _window);
    }

    private (IStreamingMemoryPolicy, IMemoryBlockAdmission) CreatePolicy()
    {
        switch (Options.Policy)
        {
            case MemoryPolicyNames.LiveVlm:
                var live = new LiveVlmPolicy(this);
                return (live, live);
            case MemoryPolicyNames.FlashVStream:
                var flash = new FlashVStreamPolicy(this);
                return (flash, flash);
            default:
                var rekv = new ReKVPolicy(this);
                return (rekv, rekv);
        }
    }

    /// <summary>
    /// TMRoPE positions [3 * tokens] (time row, height row, width row) of a group: every axis is
    /// offset by where video starts, time advances position_id_per_seconds per second of media
    /// time since the first group (float32, as the reference computes it), and height/width
    /// are the merged patch's row and column.
    /// </summary>
    private long[] GroupPositions(TimeSpan start, long rows, long cols)
    {
        var seconds = (float)(start - _streamStart!.Value).TotalSeconds;
        var t = _videoStart + (long)(seconds * _positionsPerSecond);
        if (_resumed is { } stored && _timeShift is null)
        {
            // When the stored stream's first blocks are gone (removed, or lost with a tier), its
            // time axis cannot be rebuilt from media time alone: start after its highest position.
            _timeShift = Math.Max(0, stored.MaxRotaryPosition + 1L - t);
        }
        t += _timeShift ?? 0;
        var n = rows * cols;
        var result = new long[3 * n];
        for (var y = 0; y < rows; y++)
        {
            for (var x = 0; x < cols; x++)
            {
                var k = y * cols + x;
                result[k] = t;
                result[n + k] = _videoStart + y;
                result[2 * n + k] = _videoStart + x;
            }
        }
        return result;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            _working.Dispose();
            DeviceTier.Dispose();
        }
    }
}
