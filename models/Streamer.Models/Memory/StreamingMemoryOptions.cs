namespace Streamer.Models.Memory;

/// <summary>
/// How a session's video becomes KV memory and how questions retrieve it (ReKV). Frames are
/// sampled at <see cref="SamplingFps"/> and grouped by the model's temporal patch; each group is
/// one KV block. While frames are prefilled, attention sees the prompt sink plus the most recent
/// whole blocks holding at most <see cref="WindowTokens"/> tokens. <see cref="Policy"/> picks how
/// older blocks are kept and what a question is answered over.
/// </summary>
public sealed record StreamingMemoryOptions
{
    public double SamplingFps { get; init; } = 2.0;

    /// <summary>Tokens of recent blocks kept in the working cache (besides the sink).</summary>
    public int WindowTokens { get; init; } = 8192;

    /// <summary>Frames a question retrieves; divided by the frames per block to count blocks.</summary>
    public int TopKFrames { get; init; } = 64;

    /// <summary>Scores a block by the mean score of itself and this many neighbours on each side.</summary>
    public int AveragingRadius { get; init; }

    /// <summary>
    /// Retrieved blocks kept as tensors on the device (<see cref="DeviceBlockTier"/>), so a
    /// repeated or overlapping question does not load and upload them again; 0 keeps none.
    /// </summary>
    public int DeviceBlocks { get; init; }

    /// <summary>
    /// Torch device of the working and answer caches; a stage owns its device, so this must be
    /// where the thinker runs (checked when the memory is created).
    /// </summary>
    public string Device { get; init; } = "cpu";

    /// <summary>
    /// <see cref="MemoryPolicyNames.ReKV"/> (the default), <see cref="MemoryPolicyNames.LiveVlm"/> or
    /// <see cref="MemoryPolicyNames.FlashVStream"/>; see <see cref="ReKVPolicy"/> for why ReKV is the default.
    /// </summary>
    public string Policy { get; init; } = MemoryPolicyNames.ReKV;

    /// <summary>Settings of the LiveVLM policy; read only when it is selected.</summary>
    public LiveVlmOptions LiveVlm { get; init; } = new();

    /// <summary>Settings of the Flash-VStream policy; read only when it is selected.</summary>
    public FlashVStreamOptions FlashVStream { get; init; } = new();

    public void Validate()
    {
        if (!MemoryPolicyNames.All.Contains(Policy))
        {
            throw new ArgumentException($"unknown memory policy '{Policy}'; expected one of {string.Join(", ", MemoryPolicyNames.All)}", nameof(Policy));
        }
        ArgumentNullException.ThrowIfNull(LiveVlm);
        ArgumentNullException.ThrowIfNull(FlashVStream);
        LiveVlm.Validate();
        FlashVStream.Validate();
        if (!(SamplingFps > 0) || double.IsInfinity(SamplingFps))
        {
            throw new ArgumentOutOfRangeException(nameof(SamplingFps), SamplingFps, "sampling rate must be positive");
        }
        ArgumentOutOfRangeException.ThrowIfNegative(WindowTokens);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(TopKFrames);
        ArgumentOutOfRangeException.ThrowIfNegative(AveragingRadius);
        ArgumentOutOfRangeException.ThrowIfNegative(DeviceBlocks);
        ArgumentException.ThrowIfNullOrWhiteSpace(Device);
    }
}
