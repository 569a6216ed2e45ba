namespace Streamer.KvStore;

public sealed class HostMemoryTierOptions
{
    public string Name { get; set; } = "host";

    public long MaxBytes { get; set; } = 8L * 1024 * 1024 * 1024;

    public int MaxBlocks { get; set; } = 100_000;

    public void Validate()
    {
        KvOptionChecks.Name(Name, nameof(Name));
        KvOptionChecks.Positive(MaxBytes, nameof(MaxBytes));
        KvOptionChecks.Positive(MaxBlocks, nameof(MaxBlocks));
    }
}
