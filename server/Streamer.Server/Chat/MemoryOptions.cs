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

    public static bool IsValid(MemoryOptions o) =>
        o.SampleFps > 0 && o.FrameQueue >= 1 && o.HostBytes > 0 && o.DiskBytes > 0 && !string.IsNullOrWhiteSpace(o.DiskFolder)
        && o.WindowTokens >= 0 && o.TopKFrames >= 1 && o.MinPixels is null or > 0 && o.MaxPixels is null or > 0;
}
