namespace Streamer.KvStore;

public sealed class KvStoreOptions
{
    /// <summary>Tag on every metric, to tell stores in one process apart.</summary>
    public string Name { get; set; } = "kv";

    /// <summary>Move a block found in a colder tier up to the top tier when it is read.</summary>
    public bool PromoteOnGet { get; set; } = true;

    public void Validate() => KvOptionChecks.Name(Name, nameof(Name));
}
