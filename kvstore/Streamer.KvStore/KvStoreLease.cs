namespace Streamer.KvStore;

/// <summary>Keeps a set of blocks from being evicted or demoted until disposed (once).</summary>
internal sealed class KvStoreLease : IDisposable
{
    private readonly TieredKvStore _store;
    private KvBlockId[]? _ids;

    public KvStoreLease(TieredKvStore store, KvBlockId[] ids)
    {
        _store = store;
        _ids = ids;
    }

    public void Dispose()
    {
        KvBlockId[]? ids = Interlocked.Exchange(ref _ids, null);
        if (ids is not null)
        {
            _store.Release(ids);
        }
    }
}
