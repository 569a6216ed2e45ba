using Streamer.KvStore;
using Streamer.Models.Memory;

namespace Streamer.Server.Chat;

/// <summary>
/// <c>Memory</c>: how a session's video becomes the model's KV memory. WebRTC sessions sample
/// at <see cref="SampleFps"/>; RTSP sessions at the sampleFps they were created with.
/// </summary>
public sealed class MemoryOptions
{
    public const string Section = "Memory";

    public double SampleFps { get; set; } = 2;

    /// <summary>Sampled frames waiting for the vision encoder; the oldest is dropped (and counted) when full.</summary>
    public int FrameQueue { get; set; } = 8;

    /// <summary>
    /// Encoded frame groups waiting for the prefill. When full the vision encoder waits (nothing
    /// encoded is lost, blocks stay in media-time order) and frames back up into
    /// <see cref="FrameQueue"/>, which drops the oldest; the memory stage's queue depth shows it.
    /// </summary>
    public int EncodedQueue { get; set; } = 2;

    /// <summary>Host-memory budget of one session's KV blocks; older blocks move to disk.</summary>
    public long HostBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Folder of the disk tier; each session gets a subfolder, removed when it ends.</summary>
    public string DiskFolder { get; set; } = Path.Combine(Path.GetTempPath(), "streamer-kv");

    public long DiskBytes { get; set; } = 4L * 1024 * 1024 * 1024;

    /// <summary>Tokens of recent blocks kept in the working cache besides the prompt sink.</summary>
    public int WindowTokens { get; set; } = 2048;

    /// <summary>Frames a question retrieves.</summary>
    public int TopKFrames { get; set; } = 16;

    /// <summary>Pixel bounds of a frame after resizing (the processor's min_pixels / max_pixels); null keeps the model's defaults.</summary>
    public int? MinPixels { get; set; }

    public int? MaxPixels { get; set; }

    /// <summary>
    /// Memory policy of sessions that do not choose one (<see cref="MemoryPolicyNames"/>): rekv,
    /// the default, answers from blocks at full detail; livevlm and flashvstream trade detail for
    /// a smaller or constant store.
    /// </summary>
    public string Policy { get; set; } = MemoryPolicyNames.ReKV;

    /// <summary>Settings of the livevlm policy (KeepRatio, Scoring).</summary>
    public LiveVlmOptions LiveVlm { get; set; } = new();

    /// <summary>Settings of the flashvstream policy (Centroids, DetailBlocks, MaxIterations).</summary>
    public FlashVStreamOptions FlashVStream { get; set; } = new();

    /// <summary>Retrieved blocks a session keeps as tensors on the model's device; 0 keeps none.</summary>
    public int DeviceBlocks { get; set; } = 32;

    /// <summary>The optional shared Redis tier below disk.</summary>
    public MemoryRedisOptions Redis { get; set; } = new();

    /// <summary>
    /// The policy of a new session: <paramref name="requested"/> when given (one of
    /// <see cref="MemoryPolicyNames"/>, any case), else <see cref="Policy"/>. False, with the
    /// reason, for an unknown name.
    /// </summary>
    public bool TryResolvePolicy(string? requested, out string policy, out string? error)
    {
        error = null;
        policy = Policy;
        if (requested is null)
        {
            return true;
        }
        var name = requested.Trim().ToLowerInvariant();
        if (!MemoryPolicyNames.All.Contains(name))
        {
            error = $"'memoryPolicy' must be one of {string.Join(", ", MemoryPolicyNames.All)}.";
            return false;
        }
        policy = name;
        return true;
    }

    /// <summary>The first setting that is out of range, named by its configuration key; null when all are valid.</summary>
    public string? Check()
    {
        if (!(SampleFps > 0)) return "Memory:SampleFps must be positive.";
        if (FrameQueue < 1) return "Memory:FrameQueue must be at least 1.";
        if (EncodedQueue < 1) return "Memory:EncodedQueue must be at least 1.";
        if (HostBytes <= 0) return "Memory:HostBytes must be positive.";
        if (DiskBytes <= 0) return "Memory:DiskBytes must be positive.";
        if (string.IsNullOrWhiteSpace(DiskFolder)) return "Memory:DiskFolder must be set.";
        if (WindowTokens < 0) return "Memory:WindowTokens must not be negative.";
        if (TopKFrames < 1) return "Memory:TopKFrames must be at least 1.";
        if (MinPixels is <= 0) return "Memory:MinPixels must be positive when set.";
        if (MaxPixels is <= 0) return "Memory:MaxPixels must be positive when set.";
        if (!MemoryPolicyNames.All.Contains(Policy)) return $"Memory:Policy must be one of {string.Join(", ", MemoryPolicyNames.All)}.";
        if (DeviceBlocks < 0) return "Memory:DeviceBlocks must not be negative.";
        return Nested("Memory:LiveVlm", () => LiveVlm.Validate())
            ?? Nested("Memory:FlashVStream", () => FlashVStream.Validate())
            ?? Redis.Check();
    }

    private static string? Nested(string section, Action validate)
    {
        try
        {
            validate();
            return null;
        }
        catch (ArgumentException ex)
        {
            return $"{section}:{ex.ParamName} is invalid: {ex.Message}";
        }
    }
}

/// <summary><c>Memory:Redis</c>: a Redis tier below disk, shared by every session (each under its own key prefix).</summary>
public sealed class MemoryRedisOptions
{
    /// <summary>StackExchange.Redis connection string; empty keeps no Redis tier.</summary>
    public string Configuration { get; set; } = "";

    /// <summary>Prefix of the keys; the session id follows it.</summary>
    public string KeyPrefix { get; set; } = "streamer:kv:";

    /// <summary>Expiry of every key written; 0 keeps blocks until the session removes them.</summary>
    public int TtlSeconds { get; set; }

    /// <summary>Blocks longer than this are written as chunks.</summary>
    public int ChunkBytes { get; set; } = 512 * 1024;

    /// <summary>Budget of one session's blocks in Redis.</summary>
    public long MaxBytes { get; set; } = 16L * 1024 * 1024 * 1024;

    public bool Enabled => !string.IsNullOrWhiteSpace(Configuration);

    /// <summary>The tier's options for one session.</summary>
    public RedisTierOptions ToTierOptions(string sessionId) => new()
    {
        Configuration = Configuration,
        KeyPrefix = KeyPrefix + sessionId + ":",
        Ttl = TtlSeconds > 0 ? TimeSpan.FromSeconds(TtlSeconds) : null,
        ChunkBytes = ChunkBytes,
        MaxBytes = MaxBytes,
    };

    public string? Check()
    {
        if (TtlSeconds < 0) return "Memory:Redis:TtlSeconds must not be negative.";
        if (ChunkBytes <= 0) return "Memory:Redis:ChunkBytes must be positive.";
        if (MaxBytes <= 0) return "Memory:Redis:MaxBytes must be positive.";
        if (!Enabled) return null;
        try
        {
            ToTierOptions("check").Validate();
            return null;
        }
        catch (KvStoreOptionsException ex)
        {
            return $"Memory:Redis is invalid: {ex.Message}";
        }
    }
}
