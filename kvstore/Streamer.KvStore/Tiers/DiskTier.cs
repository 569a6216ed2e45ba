using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace Streamer.KvStore;

/// <summary>
/// Blocks in append-only segment files. Every record carries its own checksums
/// (<see cref="KvBlockCodec"/>); removals append a tombstone. Opening the folder scans the
/// segments to rebuild the index, so blocks survive a restart. A segment whose blocks were
/// all removed is deleted; when the files outgrow <see cref="DiskTierOptions.MaxBytes"/>
/// (removed records still take space in partly live segments), the oldest segments are
/// dropped whole and their remaining blocks counted as dropped.
/// </summary>
public sealed class DiskTier : IKvTier
{
    private const string SegmentExtension = ".kvseg";

    private readonly Lock _gate = new();
    private readonly string _directory;
    private readonly long _segmentBytes;
    private readonly KvTierCounters _counters = new();
    private readonly SortedDictionary<int, DiskSegment> _segments = [];
    private readonly Dictionary<KvBlockId, Location> _index = [];
    private DiskSegment? _active;
    private long _liveBytes;
    private long _fileBytes;
    private bool _disposed;

    public DiskTier(DiskTierOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Name = options.Name;
        Budget = new KvTierBudget(options.MaxBytes, options.MaxBlocks);
        _directory = options.Directory;
        _segmentBytes = options.SegmentBytes;
        System.IO.Directory.CreateDirectory(_directory);
        Open();
    }

    public string Name { get; }

    public KvTierBudget Budget { get; }

    public long BytesUsed
    {
        get
        {
            lock (_gate)
            {
                return _liveBytes;
            }
        }
    }

    public int BlocksUsed
    {
        get
        {
            lock (_gate)
            {
                return _index.Count;
            }
        }
    }

    /// <summary>Bytes of all segment files, removed records included.</summary>
    public long FileBytes
    {
        get
        {
            lock (_gate)
            {
                return _fileBytes;
            }
        }
    }

    public int SegmentCount
    {
        get
        {
            lock (_gate)
            {
                return _segments.Count;
            }
        }
    }

    /// <summary>Damaged records found while scanning segments when the tier opened.</summary>
    public int CorruptRecordsAtOpen { get; private set; }

    public bool IsAvailable => !_disposed;

    public KvTierStats Stats => _counters.Snapshot();

    public KvTierStatus TryPut(KvBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        int size = block.EncodedLength;
        if (size > Budget.MaxBytes)
        {
            return KvTierStatus.TooLarge;
        }
        byte[] buffer = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            KvBlockCodec.Encode(block, buffer);
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                bool replacing = _index.TryGetValue(block.Id, out Location old);
                long bytesWithout = _liveBytes - (replacing ? old.Length : 0);
                int blocksWithout = _index.Count - (replacing ? 1 : 0);
                if (!Budget.Fits(bytesWithout, blocksWithout, size))
                {
                    return KvTierStatus.NoRoom;
                }
                if (replacing)
                {
                    RemoveLocked(block.Id, old);
                }
                DiskSegment segment = ActiveSegmentFor(size);
                DropOldestSegmentsFor(size);
                RandomAccess.Write(segment.Handle, buffer.AsSpan(0, size), segment.Length);
                _index[block.Id] = new Location(segment, segment.Length, size);
                segment.Length += size;
                segment.LiveBlocks++;
                _fileBytes += size;
                _liveBytes += size;
            }
            _counters.Put();
            return KvTierStatus.Ok;
        }
        catch (IOException)
        {
            _counters.WasUnavailable();
            return KvTierStatus.Unavailable;
        }
        catch (UnauthorizedAccessException)
        {
            _counters.WasUnavailable();
            return KvTierStatus.Unavailable;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public KvTierStatus TryGet(KvBlockId id, out KvBlock? block)
    {
        block = null;
        try
        {
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (!_index.TryGetValue(id, out Location location))
                {
                    _counters.Miss();
                    return KvTierStatus.NotFound;
                }
                // A fresh array per read: the decoded payload is a slice of it and outlives the call.
                var bytes = new byte[location.Length];
                int read = ReadExactly(location.Segment.Handle, bytes, location.Offset);
                if (read < bytes.Length || !KvBlockCodec.TryDecode(bytes, out block, out _) || block!.Id != id)
                {
                    // Never hand out damaged bytes, and never find them again.
                    block = null;
                    RemoveLocked(id, location);
                    _counters.Corrupted();
                    return KvTierStatus.Corrupt;
                }
            }
            _counters.Hit();
            return KvTierStatus.Ok;
        }
        catch (IOException)
        {
            _counters.WasUnavailable();
            return KvTierStatus.Unavailable;
        }
    }

    public bool Remove(KvBlockId id)
    {
        try
        {
            lock (_gate)
            {
                if (_disposed || !_index.TryGetValue(id, out Location location))
                {
                    return false;
                }
                RemoveLocked(id, location);
            }
            _counters.Removed();
            return true;
        }
        catch (IOException)
        {
            _counters.WasUnavailable();
            return false;
        }
    }

    public bool Contains(KvBlockId id)
    {
        lock (_gate)
        {
            return _index.ContainsKey(id);
        }
    }

    public IReadOnlyList<KvBlockMetadata> ListBlocks()
    {
        var result = new List<KvBlockMetadata>();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            foreach (Location location in _index.Values.OrderBy(l => l.Segment.Number).ThenBy(l => l.Offset))
            {
                var header = new byte[KvBlockCodec.HeaderLength];
                if (ReadExactly(location.Segment.Handle, header, location.Offset) < header.Length
                    || !KvBlockCodec.TryReadHeader(header, out KvBlockRecordHeader recordHeader, out _))
                {
                    continue;
                }
                var start = new byte[recordHeader.HeaderAndMetadataLength];
                if (ReadExactly(location.Segment.Handle, start, location.Offset) == start.Length
                    && KvBlockCodec.TryDecodeMetadata(start, out KvBlockMetadata? metadata, out _))
                {
                    result.Add(metadata!);
                }
            }
        }
        return result;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            foreach (DiskSegment segment in _segments.Values)
            {
                segment.Dispose();
            }
            _segments.Clear();
            _index.Clear();
        }
    }

    private void Open()
    {
        var numbers = new List<int>();
        foreach (string path in System.IO.Directory.EnumerateFiles(_directory, "*" + SegmentExtension))
        {
            if (int.TryParse(Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture, out int number))
            {
                numbers.Add(number);
            }
        }
        numbers.Sort();
        foreach (int number in numbers)
        {
            string path = SegmentPath(number);
            SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            var segment = new DiskSegment(number, path, handle, RandomAccess.GetLength(handle));
            _segments.Add(number, segment);
            _fileBytes += segment.Length;
            Scan(segment);
        }
        foreach (DiskSegment segment in _segments.Values.ToList())
        {
            DeleteIfDead(segment);
        }
    }

    // Reads record headers (and metadata, to check the header CRC) without the payloads, so
    // opening costs little even with many gigabytes stored. Payload damage is found on read.
    private void Scan(DiskSegment segment)
    {
        long offset = 0;
        Span<byte> prefix = stackalloc byte[KvBlockCodec.HeaderLength];
        while (offset + DiskTombstone.PrefixLength <= segment.Length)
        {
            int got = ReadExactly(segment.Handle, prefix, offset);
            if (got >= DiskTombstone.PrefixLength && BinaryPrimitives.ReadUInt32LittleEndian(prefix) == DiskTombstone.Magic)
            {
                var tombstone = new byte[Math.Min(DiskTombstone.GetLength(prefix), DiskTombstone.MaxLength)];
                if (ReadExactly(segment.Handle, tombstone, offset) < tombstone.Length
                    || !DiskTombstone.TryDecode(tombstone, out KvBlockId removed))
                {
                    CorruptRecordsAtOpen++;
                    _counters.Corrupted();
                    break;
                }
                if (_index.TryGetValue(removed, out Location target))
                {
                    Unlink(removed, target, segment);
                }
                offset += tombstone.Length;
                continue;
            }
            if (!KvBlockCodec.TryReadHeader(prefix[..got], out KvBlockRecordHeader header, out _)
                || offset + header.TotalLength > segment.Length)
            {
                // Lengths can no longer be trusted, or the last write was cut short: the rest
                // of this segment is unreadable. Later segments are still scanned.
                CorruptRecordsAtOpen++;
                _counters.Corrupted();
                break;
            }
            var start = new byte[header.HeaderAndMetadataLength];
            if (ReadExactly(segment.Handle, start, offset) == start.Length
                && KvBlockCodec.TryDecodeMetadata(start, out KvBlockMetadata? metadata, out _))
            {
                if (_index.TryGetValue(metadata!.Id, out Location superseded))
                {
                    Unlink(metadata.Id, superseded, segment);
                }
                _index[metadata.Id] = new Location(segment, offset, header.TotalLength);
                segment.LiveBlocks++;
                _liveBytes += header.TotalLength;
            }
            else
            {
                CorruptRecordsAtOpen++;
                _counters.Corrupted();
            }
            offset += header.TotalLength;
        }
    }

    private DiskSegment ActiveSegmentFor(int recordBytes)
    {
        if (_active is not null && (_active.Length == 0 || _active.Length + recordBytes <= _segmentBytes))
        {
            return _active;
        }
        DiskSegment? previous = _active;
        int number = _segments.Count == 0 ? 1 : _segments.Keys.Max() + 1;
        string path = SegmentPath(number);
        SafeFileHandle handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read);
        _active = new DiskSegment(number, path, handle, 0);
        _segments.Add(number, _active);
        if (previous is not null)
        {
            DeleteIfDead(previous);
        }
        return _active;
    }

    private void DropOldestSegmentsFor(int recordBytes)
    {
        while (_fileBytes + recordBytes > Budget.MaxBytes)
        {
            DiskSegment? oldest = _segments.Values.FirstOrDefault(s => s != _active);
            if (oldest is null)
            {
                return;
            }
            // Oldest segment: its tombstones can only hide records in itself, so no pin holds it.
            int dropped = 0;
            foreach (KeyValuePair<KvBlockId, Location> entry in _index.Where(e => e.Value.Segment == oldest).ToList())
            {
                _index.Remove(entry.Key);
                _liveBytes -= entry.Value.Length;
                dropped++;
            }
            oldest.LiveBlocks = 0;
            oldest.Pins = 0;
            Delete(oldest);
            _counters.Dropped(dropped);
        }
    }

    private void RemoveLocked(KvBlockId id, Location location)
    {
        DiskSegment segment = ActiveSegmentFor(DiskTombstone.GetLength(id));
        byte[] tombstone = DiskTombstone.Encode(id);
        RandomAccess.Write(segment.Handle, tombstone, segment.Length);
        segment.Length += tombstone.Length;
        _fileBytes += tombstone.Length;
        Unlink(id, location, segment);
        DeleteIfDead(location.Segment);
    }

    // Forgets the record at `location`, hidden from now on by a tombstone or newer record in `by`.
    private void Unlink(KvBlockId id, Location location, DiskSegment by)
    {
        _index.Remove(id);
        _liveBytes -= location.Length;
        location.Segment.LiveBlocks--;
        if (by != location.Segment)
        {
            by.Pins++;
            location.Segment.PinnedBy.Add(by);
        }
    }

    private void DeleteIfDead(DiskSegment segment)
    {
        if (!segment.Deleted && segment != _active && segment.LiveBlocks == 0 && segment.Pins == 0)
        {
            Delete(segment);
        }
    }

    private void Delete(DiskSegment segment)
    {
        segment.Deleted = true;
        _segments.Remove(segment.Number);
        _fileBytes -= segment.Length;
        segment.Dispose();
        File.Delete(segment.Path);
        foreach (DiskSegment holder in segment.PinnedBy)
        {
            if (!holder.Deleted)
            {
                holder.Pins--;
                DeleteIfDead(holder);
            }
        }
    }

    private string SegmentPath(int number) =>
        Path.Combine(_directory, number.ToString("D8", CultureInfo.InvariantCulture) + SegmentExtension);

    private static int ReadExactly(SafeFileHandle handle, Span<byte> destination, long offset)
    {
        int total = 0;
        while (total < destination.Length)
        {
            int read = RandomAccess.Read(handle, destination[total..], offset + total);
            if (read == 0)
            {
                break;
            }
            total += read;
        }
        return total;
    }

    private readonly record struct Location(DiskSegment Segment, long Offset, int Length);
}
