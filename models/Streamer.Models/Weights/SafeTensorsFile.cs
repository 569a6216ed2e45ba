using System.Buffers.Binary;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;
using TorchSharp;
using static TorchSharp.torch;

namespace Streamer.Models.Weights;

/// <summary>
/// A read-only .safetensors file: an 8-byte little-endian header length, a JSON header
/// <c>{"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, "__metadata__": {..}}</c>
/// and the raw little-endian tensor bytes. The header is validated once on open (offsets inside
/// the file, byte counts matching shape x dtype) so a truncated or corrupt file fails before any
/// weight is copied. Tensor bytes are read on demand with positional reads, never the whole file.
/// </summary>
public sealed class SafeTensorsFile : IDisposable
{
    private const int HeaderLengthSize = 8;
    // A header beyond this is not a checkpoint header but a corrupt length prefix.
    private const long MaxHeaderLength = 100L * 1024 * 1024;
    private const string MetadataKey = "__metadata__";

    private readonly SafeFileHandle _handle;
    private readonly Dictionary<string, SafeTensorInfo> _tensors;

    private SafeTensorsFile(string path, SafeFileHandle handle, Dictionary<string, SafeTensorInfo> tensors,
        IReadOnlyDictionary<string, string> metadata)
    {
        Path = path;
        _handle = handle;
        _tensors = tensors;
        Metadata = metadata;
    }

    public string Path { get; }

    public IReadOnlyDictionary<string, string> Metadata { get; }

    public IReadOnlyCollection<SafeTensorInfo> Tensors => _tensors.Values;

    public IEnumerable<string> Keys => _tensors.Keys;

    public bool Contains(string name) => _tensors.ContainsKey(name);

    public bool TryGetInfo(string name, out SafeTensorInfo info) => _tensors.TryGetValue(name, out info!);

    public SafeTensorInfo GetInfo(string name) =>
        _tensors.TryGetValue(name, out var info)
            ? info
            : throw new CheckpointException($"tensor '{name}' is not in {Path}");

    public static SafeTensorsFile Open(string path)
    {
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException($"cannot open safetensors file {path}: {e.Message}", e);
        }

        try
        {
            var (tensors, metadata) = ReadHeader(path, handle);
            return new SafeTensorsFile(path, handle, tensors, metadata);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Loads one tensor on the CPU in its stored dtype, then converts to <paramref name="dtype"/>
    /// and moves to <paramref name="device"/> (either may be null to keep the stored value).
    /// </summary>
    public Tensor Load(string name, ScalarType? dtype = null, Device? device = null)
    {
        var info = GetInfo(name);
        if (!SafeTensorsDType.TryGet(info.DType, out var stored, out _))
        {
            throw new CheckpointException($"tensor '{name}' in {Path} has unsupported dtype '{info.DType}'");
        }
        if (info.ByteLength > int.MaxValue)
        {
            throw new CheckpointException($"tensor '{name}' in {Path} is larger than 2 GiB, which a single read cannot hold");
        }

        using var scope = NewDisposeScope();
        var cpu = empty(info.Shape, stored, CPU);
        if (info.ByteLength > 0)
        {
            ReadExactly(info, cpu.bytes);
        }
        var result = cpu;
        if (dtype is { } d && d != stored)
        {
            result = result.to_type(d);
        }
        if (device is not null && device.type != DeviceType.CPU)
        {
            result = result.to(device);
        }
        return result.MoveToOuterDisposeScope();
    }

    private void ReadExactly(SafeTensorInfo info, Span<byte> destination)
    {
        var offset = info.DataStart;
        while (!destination.IsEmpty)
        {
            var read = RandomAccess.Read(_handle, destination, offset);
            if (read == 0)
            {
                throw new CheckpointException($"tensor '{info.Name}' in {Path}: file is truncated");
            }
            destination = destination[read..];
            offset += read;
        }
    }

    private static (Dictionary<string, SafeTensorInfo>, IReadOnlyDictionary<string, string>) ReadHeader(
        string path, SafeFileHandle handle)
    {
        var fileLength = RandomAccess.GetLength(handle);
        Span<byte> prefix = stackalloc byte[HeaderLengthSize];
        if (fileLength < HeaderLengthSize || RandomAccess.Read(handle, prefix, 0) != HeaderLengthSize)
        {
            throw new CheckpointException($"{path}: file is too short for a safetensors header");
        }
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > MaxHeaderLength || (long)headerLength > fileLength - HeaderLengthSize)
        {
            throw new CheckpointException($"{path}: header length {headerLength} does not fit a file of {fileLength} bytes");
        }

        var header = new byte[headerLength];
        if (RandomAccess.Read(handle, header, HeaderLengthSize) != header.Length)
        {
            throw new CheckpointException($"{path}: header is truncated");
        }
        var dataStart = HeaderLengthSize + (long)headerLength;
        var dataLength = fileLength - dataStart;

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(header);
        }
        catch (JsonException e)
        {
            throw new CheckpointException($"{path}: header is not valid JSON ({e.Message})", e);
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new CheckpointException($"{path}: header is not a JSON object");
            }
            var tensors = new Dictionary<string, SafeTensorInfo>(StringComparer.Ordinal);
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var entry in doc.RootElement.EnumerateObject())
            {
                if (entry.Name == MetadataKey)
                {
                    if (entry.Value.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var m in entry.Value.EnumerateObject())
                        {
                            metadata[m.Name] = m.Value.ValueKind == JsonValueKind.String ? m.Value.GetString()! : m.Value.GetRawText();
                        }
                    }
                    continue;
                }
                tensors[entry.Name] = ParseEntry(path, entry.Name, entry.Value, dataStart, dataLength);
            }
            return (tensors, metadata);
        }
    }

    private static SafeTensorInfo ParseEntry(string path, string name, JsonElement e, long dataStart, long dataLength)
    {
        CheckpointException Bad(string what) => new($"tensor '{name}' in {path}: {what}");

        if (e.ValueKind != JsonValueKind.Object
            || !e.TryGetProperty("dtype", out var dtypeEl) || dtypeEl.ValueKind != JsonValueKind.String
            || !e.TryGetProperty("shape", out var shapeEl) || shapeEl.ValueKind != JsonValueKind.Array
            || !e.TryGetProperty("data_offsets", out var offEl) || offEl.ValueKind != JsonValueKind.Array
            || offEl.GetArrayLength() != 2)
        {
            throw Bad("header entry needs dtype, shape and data_offsets [begin, end]");
        }

        var dtype = dtypeEl.GetString()!;
        var shape = new long[shapeEl.GetArrayLength()];
        var i = 0;
        foreach (var d in shapeEl.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out var v) || v < 0)
            {
                throw Bad("shape must hold non-negative integers");
            }
            shape[i++] = v;
        }
        if (!offEl[0].TryGetInt64(out var begin) || !offEl[1].TryGetInt64(out var end) || begin < 0 || end < begin)
        {
            throw Bad("data_offsets must be non-negative and ordered");
        }
        if (end > dataLength)
        {
            throw Bad($"data ends at byte {end} but the file holds {dataLength} data bytes (file is truncated)");
        }

        var known = SafeTensorsDType.TryGet(dtype, out var scalarType, out var elementSize);
        if (known)
        {
            long expected;
            try
            {
                expected = checked(shape.Aggregate(1L, (a, b) => a * b) * elementSize);
            }
            catch (OverflowException)
            {
                throw Bad("shape overflows a 64-bit element count");
            }
            if (expected != end - begin)
            {
                throw Bad($"{end - begin} bytes do not match shape [{string.Join(", ", shape)}] of {dtype} ({expected} bytes)");
            }
        }
        return new SafeTensorInfo(name, dtype, scalarType, shape, dataStart + begin, end - begin, path);
    }

    public void Dispose() => _handle.Dispose();
}
