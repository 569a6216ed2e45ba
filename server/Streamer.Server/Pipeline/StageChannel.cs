using System.Threading.Channels;

namespace Streamer.Server.Pipeline;

public static class StageChannel
{
    /// <summary>
    /// Creates the bounded channel of <paramref name="spec"/>. Drop modes report success even
    /// when they drop, so the dropped-item callback counts the loss on the reading stage's
    /// metrics and disposes what was dropped (frames hold pooled buffers and tensors).
    /// </summary>
    public static Channel<T> Create<T>(ChannelSpec spec, StageMetrics readerMetrics)
    {
        if (spec.Capacity < 1) throw new ArgumentOutOfRangeException(nameof(spec), $"Channel '{spec.Name}' needs a capacity of at least 1.");
        var options = new BoundedChannelOptions(spec.Capacity)
        {
            FullMode = spec.FullMode,
            SingleReader = true,
            SingleWriter = false,
            AllowSynchronousContinuations = false,
        };
        var channel = Channel.CreateBounded<T>(options, dropped =>
        {
            readerMetrics.RecordDropped();
            (dropped as IDisposable)?.Dispose();
        });
        readerMetrics.AttachQueue(() => channel.Reader.Count);
        return channel;
    }
}
