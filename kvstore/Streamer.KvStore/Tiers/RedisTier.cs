using System.Globalization;
using StackExchange.Redis;

namespace Streamer.KvStore;

/// <summary>
/// Blocks in Redis as binary values under <c>{prefix}{session}:{sequence}</c>; blocks
/// longer than <see cref="RedisTierOptions.ChunkBytes"/> go to chunk keys under a manifest.
/// Redis going away is expected, not exceptional: every operation checks the connection
/// first and fails fast with <see cref="KvTierStatus.Unavailable"/>, the multiplexer keeps
/// reconnecting in the background, and the tier is used again once it is back.
/// Usage (bytes and blocks) is what this instance wrote and has not removed; keys that
/// expire or vanish with a restarted server are forgotten when a read finds them gone.
/// </summary>
public sealed class RedisTier : IKvTier
{
    private readonly Lock _gate = new();
    private readonly IConnectionMultiplexer _connection;
    private readonly bool _ownsConnection;
    private readonly string _keyPrefix;
    private readonly int _chunkBytes;
    private readonly TimeSpan? _ttl;
    private readonly KvTierCounters _counters = new();
    private readonly Dictionary<KvBlockId, Entry> _entries = [];
    private long _bytesUsed;
    private volatile string? _lastError;
    private bool _disposed;

    /// <summary>Connects with the options' configuration; the tier owns the connection.</summary>
    public RedisTier(RedisTierOptions options)
        : this(options, Connect(options), ownsConnection: true)
    {
    }

    /// <summary>Uses a connection shared with other features; the caller keeps ownership.</summary>
    public RedisTier(RedisTierOptions options, IConnectionMultiplexer connection)
        : this(options, connection, ownsConnection: false)
    {
    }

    private RedisTier(RedisTierOptions options, IConnectionMultiplexer connection, bool ownsConnection)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(connection);
        options.Validate();
        Name = options.Name;
        Budget = new KvTierBudget(options.MaxBytes, options.MaxBlocks);
        _keyPrefix = options.KeyPrefix;
        _chunkBytes = options.ChunkBytes;
        _ttl = options.Ttl;
        _connection = connection;
        _ownsConnection = ownsConnection;
    }

    public string Name { get; }

    public KvTierBudget Budget { get; }

    public long BytesUsed
    {
        get
        {
            lock (_gate)
            {
                return _bytesUsed;
            }
        }
    }

    public int BlocksUsed
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    public bool IsAvailable => !_disposed && _connection.IsConnected;

    /// <summary>The last connection or server error seen, for health reports.</summary>
    public string? LastError => _lastError;

    public KvTierStats Stats => _counters.Snapshot();

    /// <summary>The main key of a block (the encoded block, or the chunk manifest).</summary>
    public string KeyFor(KvBlockId id) =>
        string.Create(CultureInfo.InvariantCulture, $"{_keyPrefix}{id.SessionId}:{id.Sequence}");

    public KvTierStatus TryPut(KvBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        int size = block.EncodedLength;
        if (size > Budget.MaxBytes)
        {
            return KvTierStatus.TooLarge;
        }
        lock (_gate)
        {
            bool replacing = _entries.TryGetValue(block.Id, out Entry old);
            if (!Budget.Fits(_bytesUsed - (replacing ? old.Length : 0), _entries.Count - (replacing ? 1 : 0), size))
            {
                return KvTierStatus.NoRoom;
            }
        }
        if (!CheckConnected())
        {
            return KvTierStatus.Unavailable;
        }
        byte[] encoded = KvBlockCodec.Encode(block);
        string key = KeyFor(block.Id);
        int chunks = 0;
        try
        {
            IDatabase db = _connection.GetDatabase();
            int oldChunks = ChunkCountOf(block.Id);
            if (encoded.Length <= _chunkBytes)
            {
                db.StringSet(key, encoded, _ttl, When.Always, CommandFlags.None);
            }
            else
            {
                chunks = (encoded.Length + _chunkBytes - 1) / _chunkBytes;
                // Chunks first, manifest last: a reader that finds the manifest finds every chunk.
                for (int i = 0; i < chunks; i++)
                {
                    int start = i * _chunkBytes;
                    ReadOnlyMemory<byte> chunk = encoded.AsMemory(start, Math.Min(_chunkBytes, encoded.Length - start));
                    db.StringSet(ChunkKey(key, i), chunk, _ttl, When.Always, CommandFlags.None);
                }
                db.StringSet(key, new RedisChunkManifest(encoded.Length, chunks).Encode(), _ttl, When.Always, CommandFlags.None);
            }
            if (oldChunks > chunks)
            {
                db.KeyDelete(Enumerable.Range(chunks, oldChunks - chunks).Select(i => (RedisKey)ChunkKey(key, i)).ToArray());
            }
        }
        catch (RedisException ex)
        {
            return Failed(ex);
        }
        lock (_gate)
        {
            if (_entries.Remove(block.Id, out Entry old))
            {
                _bytesUsed -= old.Length;
            }
            _entries[block.Id] = new Entry(block.Metadata, size, chunks);
            _bytesUsed += size;
        }
        _counters.Put();
        return KvTierStatus.Ok;
    }

    public KvTierStatus TryGet(KvBlockId id, out KvBlock? block)
    {
        block = null;
        if (!CheckConnected())
        {
            return KvTierStatus.Unavailable;
        }
        string key = KeyFor(id);
        try
        {
            IDatabase db = _connection.GetDatabase();
            RedisValue value = db.StringGet(key);
            if (value.IsNull)
            {
                Forget(id);
                _counters.Miss();
                return KvTierStatus.NotFound;
            }
            var bytes = (ReadOnlyMemory<byte>)value;
            if (RedisChunkManifest.IsManifest(bytes.Span))
            {
                if (!RedisChunkManifest.TryDecode(bytes.Span, out RedisChunkManifest manifest))
                {
                    return Corrupt(db, id, key, chunkCount: 0);
                }
                RedisKey[] chunkKeys = Enumerable.Range(0, manifest.ChunkCount).Select(i => (RedisKey)ChunkKey(key, i)).ToArray();
                RedisValue[] chunks = db.StringGet(chunkKeys);
                if (chunks.Any(c => c.IsNull))
                {
                    // Chunks expire one by one; a block missing any of them is gone.
                    db.KeyDelete([key, .. chunkKeys]);
                    Forget(id);
                    _counters.Miss();
                    return KvTierStatus.NotFound;
                }
                var assembled = new byte[manifest.TotalLength];
                int offset = 0;
                foreach (RedisValue chunk in chunks)
                {
                    var part = (ReadOnlyMemory<byte>)chunk;
                    if (offset + part.Length > assembled.Length)
                    {
                        return Corrupt(db, id, key, manifest.ChunkCount);
                    }
                    part.Span.CopyTo(assembled.AsSpan(offset));
                    offset += part.Length;
                }
                if (offset != assembled.Length)
                {
                    return Corrupt(db, id, key, manifest.ChunkCount);
                }
                bytes = assembled;
            }
            if (!KvBlockCodec.TryDecode(bytes, out block, out _) || block!.Id != id)
            {
                block = null;
                return Corrupt(db, id, key, chunkCount: 0);
            }
        }
        catch (RedisException ex)
        {
            return Failed(ex);
        }
        _counters.Hit();
        return KvTierStatus.Ok;
    }

    public bool Remove(KvBlockId id)
    {
        if (!CheckConnected())
        {
            return false;
        }
        string key = KeyFor(id);
        try
        {
            IDatabase db = _connection.GetDatabase();
            int chunks = ChunkCountOf(id);
            if (chunks == 0 && !_entries.ContainsKey(id))
            {
                // Written by an earlier process: the manifest says how many chunks there are.
                RedisValue value = db.StringGet(key);
                if (!value.IsNull && RedisChunkManifest.TryDecode(((ReadOnlyMemory<byte>)value).Span, out RedisChunkManifest manifest))
                {
                    chunks = manifest.ChunkCount;
                }
            }
            bool removed = db.KeyDelete([key, .. Enumerable.Range(0, chunks).Select(i => (RedisKey)ChunkKey(key, i))]) > 0;
            removed |= Forget(id);
            if (removed)
            {
                _counters.Removed();
            }
            return removed;
        }
        catch (RedisException ex)
        {
            Failed(ex);
            return false;
        }
    }

    public bool Contains(KvBlockId id)
    {
        if (!CheckConnected())
        {
            return false;
        }
        try
        {
            return _connection.GetDatabase().KeyExists(KeyFor(id));
        }
        catch (RedisException ex)
        {
            Failed(ex);
            return false;
        }
    }

    public IReadOnlyList<KvBlockMetadata> ListBlocks()
    {
        lock (_gate)
        {
            return _entries.Values.Select(e => e.Metadata).OrderBy(m => m.Id).ToList();
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        if (_ownsConnection)
        {
            _connection.Dispose();
        }
    }

    private static ConnectionMultiplexer Connect(RedisTierOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ConfigurationOptions config = ConfigurationOptions.Parse(options.Configuration);
        // Start even if Redis is down, queue nothing while disconnected, and retry steadily:
        // the store must keep serving from its other tiers and pick Redis up when it returns.
        config.AbortOnConnectFail = false;
        config.BacklogPolicy = BacklogPolicy.FailFast;
        config.ConnectTimeout = (int)options.ConnectTimeout.TotalMilliseconds;
        config.SyncTimeout = (int)options.OperationTimeout.TotalMilliseconds;
        config.AsyncTimeout = (int)options.OperationTimeout.TotalMilliseconds;
        config.ReconnectRetryPolicy = new LinearRetry((int)options.ReconnectInterval.TotalMilliseconds);
        return ConnectionMultiplexer.Connect(config);
    }

    private static string ChunkKey(string key, int index) =>
        string.Create(CultureInfo.InvariantCulture, $"{key}:{index}");

    private bool CheckConnected()
    {
        if (!_disposed && _connection.IsConnected)
        {
            return true;
        }
        _counters.WasUnavailable();
        return false;
    }

    private KvTierStatus Failed(RedisException ex)
    {
        _lastError = ex.Message;
        _counters.WasUnavailable();
        return KvTierStatus.Unavailable;
    }

    private KvTierStatus Corrupt(IDatabase db, KvBlockId id, string key, int chunkCount)
    {
        db.KeyDelete([key, .. Enumerable.Range(0, chunkCount).Select(i => (RedisKey)ChunkKey(key, i))]);
        Forget(id);
        _counters.Corrupted();
        return KvTierStatus.Corrupt;
    }

    private int ChunkCountOf(KvBlockId id)
    {
        lock (_gate)
        {
            return _entries.TryGetValue(id, out Entry entry) ? entry.Chunks : 0;
        }
    }

    private bool Forget(KvBlockId id)
    {
        lock (_gate)
        {
            if (!_entries.Remove(id, out Entry entry))
            {
                return false;
            }
            _bytesUsed -= entry.Length;
            return true;
        }
    }

    private readonly record struct Entry(KvBlockMetadata Metadata, int Length, int Chunks);
}
