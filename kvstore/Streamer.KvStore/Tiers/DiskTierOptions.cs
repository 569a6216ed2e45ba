namespace Streamer.KvStore;

public sealed class DiskTierOptions
{
    public string Name { get; set; } = "disk";

    /// <summary>Folder holding the segment files; created if missing. One store per folder.</summary>
    public string Directory { get; set; } = "";

    /// <summary>Budget for live blocks and also the bound on segment file bytes on disk.</summary>
    public long MaxBytes { get; set; } = 64L * 1024 * 1024 * 1024;

    public int MaxBlocks { get; set; } = 1_000_000;

    /// <summary>A segment is closed and a new one started once it reaches this size.</summary>
    public long SegmentBytes { get; set; } = 64L * 1024 * 1024;

    public void Validate()
    {
        KvOptionChecks.Name(Name, nameof(Name));
        KvOptionChecks.Name(Directory, nameof(Directory));
        KvOptionChecks.Positive(MaxBytes, nameof(MaxBytes));
        KvOptionChecks.Positive(MaxBlocks, nameof(MaxBlocks));
        KvOptionChecks.Positive(SegmentBytes, nameof(SegmentBytes));
        if (SegmentBytes > MaxBytes)
        {
            throw new KvStoreOptionsException(nameof(SegmentBytes), "must not exceed MaxBytes");
        }
    }
}
