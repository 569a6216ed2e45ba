namespace Streamer.Models.Memory;

/// <summary>
/// One retrieval's hold on a block's device tensors: while it is alive the device tier keeps
/// the block. A block the tier had no room for is owned by the rental and disposed with it.
/// </summary>
internal sealed class DeviceBlockRental : IDisposable
{
    private readonly DeviceBlockTier _tier;
    private DeviceBlockTier.Entry? _entry;
    private KvBlockTensors? _owned;

    public DeviceBlockRental(DeviceBlockTier tier, DeviceBlockTier.Entry? entry, KvBlockTensors tensors)
    {
        _tier = tier;
        _entry = entry;
        _owned = entry is null ? tensors : null;
        Tensors = tensors;
    }

    public KvBlockTensors Tensors { get; }

    /// <summary>True when the tier keeps the block after this retrieval.</summary>
    public bool Cached => _entry is not null;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _entry, null) is { } entry)
        {
            _tier.Return(entry);
        }
        Interlocked.Exchange(ref _owned, null)?.Dispose();
    }
}
