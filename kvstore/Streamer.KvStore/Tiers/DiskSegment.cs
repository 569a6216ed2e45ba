using Microsoft.Win32.SafeHandles;

namespace Streamer.KvStore;

/// <summary>One append-only segment file and the bookkeeping that decides when it can go.</summary>
internal sealed class DiskSegment : IDisposable
{
    public DiskSegment(int number, string path, SafeFileHandle handle, long length)
    {
        Number = number;
        Path = path;
        Handle = handle;
        Length = length;
    }

    public int Number { get; }

    public string Path { get; }

    public SafeFileHandle Handle { get; }

    public long Length { get; set; }

    /// <summary>Blocks whose current record lives in this segment.</summary>
    public int LiveBlocks { get; set; }

    /// <summary>
    /// Tombstones in this segment that still hide a record in an older, existing segment.
    /// While any remain, deleting this file would bring those records back on restart.
    /// </summary>
    public int Pins { get; set; }

    /// <summary>Newer segments holding tombstones for records in this one.</summary>
    public List<DiskSegment> PinnedBy { get; } = [];

    public bool Deleted { get; set; }

    public void Dispose() => Handle.Dispose();
}
