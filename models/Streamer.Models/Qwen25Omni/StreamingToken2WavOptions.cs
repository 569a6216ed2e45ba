namespace Streamer.Models.Qwen25Omni;

/// <summary>
/// How <see cref="StreamingToken2Wav"/> cuts an utterance, in mel frames. Chunk k owns frames
/// [k·Chunk, (k+1)·Chunk); its DiT window adds <see cref="PastFrames"/> before and
/// <see cref="FutureFrames"/> after, and the vocoder re-runs <see cref="VocoderOverlapFrames"/>
/// frames on each side of a seam so BigVGAN's edge padding never reaches a kept sample.
/// </summary>
public sealed record StreamingToken2WavOptions
{
    public required int ChunkFrames { get; init; }

    public required int PastFrames { get; init; }

    public required int FutureFrames { get; init; }

    public required int VocoderOverlapFrames { get; init; }

    public int Steps { get; init; } = Qwen25OmniToken2Wav.DefaultSteps;

    public double GuidanceScale { get; init; } = Qwen25OmniToken2Wav.DefaultGuidanceScale;

    public double? SwayCoefficient { get; init; } = Qwen25OmniToken2Wav.DefaultSwayCoefficient;

    /// <summary>
    /// The reference streaming sizes (Qwen2Code2wav): a mel block of 24 frames at 2 frames per code
    /// (32 otherwise), past context = block·repeats, future context = one block, vocoder overlap 20
    /// frames (13 otherwise). Two blocks per chunk, the reference script's choice for 50 Hz codes,
    /// so the first chunk needs 36 codes.
    /// </summary>
    public static StreamingToken2WavOptions Reference(Qwen25OmniDiTConfig config, int blocksPerChunk = 2)
    {
        ArgumentNullException.ThrowIfNull(config);
        var twoFramesPerCode = config.Repeats == 2;
        var block = twoFramesPerCode ? 24 : 32;
        return new StreamingToken2WavOptions
        {
            ChunkFrames = block * blocksPerChunk,
            PastFrames = block * config.Repeats,
            FutureFrames = block,
            VocoderOverlapFrames = twoFramesPerCode ? 20 : 13,
        };
    }

    /// <summary>
    /// Context wide enough that every kept frame sees exactly what it sees offline: each DiT
    /// evaluation lets a frame read one block per look-back (look-ahead) layer, and the ODE chains
    /// (steps - 1) × 4 evaluations, so the dependency cone is that many times wider. Costly in
    /// latency for a real checkpoint; it is the yardstick the reference sizes are measured against.
    /// </summary>
    public static StreamingToken2WavOptions ExactContext(Qwen25OmniDiTConfig config, int chunkFrames, int vocoderOverlapFrames, int steps = Qwen25OmniToken2Wav.DefaultSteps)
    {
        ArgumentNullException.ThrowIfNull(config);
        var evaluations = (steps - 1) * RungeKutta4Evaluations;
        return new StreamingToken2WavOptions
        {
            ChunkFrames = chunkFrames,
            PastFrames = evaluations * config.LookBackwardLayers.Count * config.BlockSize,
            FutureFrames = evaluations * config.LookAheadLayers.Count * config.BlockSize,
            VocoderOverlapFrames = vocoderOverlapFrames,
            Steps = steps,
        };
    }

    private const int RungeKutta4Evaluations = 4;

    /// <summary>Throws when the sizes cannot cut whole codes or leave the vocoder too little context.</summary>
    public void Validate(Qwen25OmniDiTConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        foreach (var (name, value) in new[] { (nameof(ChunkFrames), ChunkFrames), (nameof(PastFrames), PastFrames), (nameof(FutureFrames), FutureFrames) })
        {
            if (value < 0 || value % config.Repeats != 0)
            {
                throw new ArgumentException($"{name} = {value} must be a non-negative multiple of repeats ({config.Repeats}) so windows cut whole codes");
            }
        }
        if (ChunkFrames == 0 || ChunkFrames % config.BlockSize != 0 || PastFrames % config.BlockSize != 0)
        {
            throw new ArgumentException($"{nameof(ChunkFrames)} ({ChunkFrames}) and {nameof(PastFrames)} ({PastFrames}) must be positive multiples of block_size ({config.BlockSize}) so window blocks line up with the offline ones");
        }
        if (VocoderOverlapFrames < 0 || 2 * VocoderOverlapFrames > ChunkFrames)
        {
            throw new ArgumentException($"{nameof(VocoderOverlapFrames)} ({VocoderOverlapFrames}) must be between 0 and half a chunk ({ChunkFrames / 2})");
        }
    }
}
