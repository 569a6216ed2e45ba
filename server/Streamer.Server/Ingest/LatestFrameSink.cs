using System.Threading.Channels;
using Streamer.Media.Codecs;

namespace Streamer.Server.Ingest;

/// <summary>
/// The end of the ingest pipeline: keeps the newest decoded frame of a session (served as
/// a snapshot) and releases the rest.
/// </summary>
public sealed class LatestFrameSink : IDisposable
{
    private readonly Lock _lock = new();
    private VideoFrame? _latest;

    public async Task RunAsync(ChannelReader<VideoFrame> input, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var frame in input.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                VideoFrame? previous;
                lock (_lock)
                {
                    previous = _latest;
                    _latest = frame;
                }
                previous?.Dispose();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            while (input.TryRead(out var left)) left.Dispose();
        }
    }

    /// <summary>Copies the newest frame as RGB24; false before the first frame.</summary>
    public bool TryGetRgb(out byte[] rgb, out int width, out int height)
    {
        lock (_lock)
        {
            if (_latest is null)
            {
                rgb = [];
                width = height = 0;
                return false;
            }
            width = _latest.Width;
            height = _latest.Height;
            rgb = _latest.ConvertToRgb24();
            return true;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _latest?.Dispose();
            _latest = null;
        }
    }
}
