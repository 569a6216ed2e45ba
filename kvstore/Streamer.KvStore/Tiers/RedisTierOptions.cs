namespace Streamer.KvStore;

public sealed class RedisTierOptions
{
    public string Name { get; set; } = "redis";

    /// <summary>StackExchange.Redis configuration string ("host:port,password=...").</summary>
    public string Configuration { get; set; } = "127.0.0.1:6379";

    /// <summary>Prefix of every key this store writes, so stores can share one Redis.</summary>
    public string KeyPrefix { get; set; } = "streamer:kv:";

    /// <summary>Encoded blocks longer than this are split into chunk keys under a manifest key.</summary>
    public int ChunkBytes { get; set; } = 512 * 1024;

    /// <summary>Expiry set on every key written; null keeps blocks until removed.</summary>
    public TimeSpan? Ttl { get; set; }

    public long MaxBytes { get; set; } = 16L * 1024 * 1024 * 1024;

    public int MaxBlocks { get; set; } = 1_000_000;

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest wait for one command before the tier reports itself unavailable.</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Pause between reconnection attempts while Redis is down.</summary>
    public TimeSpan ReconnectInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    public void Validate()
    {
        KvOptionChecks.Name(Name, nameof(Name));
        KvOptionChecks.Name(Configuration, nameof(Configuration));
        KvOptionChecks.Name(KeyPrefix, nameof(KeyPrefix));
        KvOptionChecks.Positive(ChunkBytes, nameof(ChunkBytes));
        if (Ttl is { } ttl)
        {
            KvOptionChecks.Positive(ttl, nameof(Ttl));
        }
        KvOptionChecks.Positive(MaxBytes, nameof(MaxBytes));
        KvOptionChecks.Positive(MaxBlocks, nameof(MaxBlocks));
        KvOptionChecks.Positive(ConnectTimeout, nameof(ConnectTimeout));
        KvOptionChecks.Positive(OperationTimeout, nameof(OperationTimeout));
        KvOptionChecks.Positive(ReconnectInterval, nameof(ReconnectInterval));
    }
}
