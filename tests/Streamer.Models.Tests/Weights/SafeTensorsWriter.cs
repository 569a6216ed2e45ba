using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace Streamer.Models.Tests.Weights;

/// <summary>Writes small safetensors files for tests, including deliberately broken ones.</summary>
public static class SafeTensorsWriter
{
    public sealed record Entry(string Name, string DType, long[] Shape, byte[] Data);

    public static void Write(string path, IEnumerable<Entry> entries, int dropTrailingBytes = 0)
    {
        var header = new Dictionary<string, object>();
        var data = new MemoryStream();
        foreach (var e in entries)
        {
            var begin = data.Length;
            data.Write(e.Data);
            header[e.Name] = new { dtype = e.DType, shape = e.Shape, data_offsets = new[] { begin, data.Length } };
        }
        header["__metadata__"] = new { format = "pt" };
        var bytes = data.ToArray();
        WriteRaw(path, JsonSerializer.Serialize(header), bytes[..(bytes.Length - dropTrailingBytes)]);
    }

    public static void WriteRaw(string path, string headerJson, byte[] data)
    {
        var header = Encoding.UTF8.GetBytes(headerJson);
        using var f = File.Create(path);
        Span<byte> len = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)header.Length);
        f.Write(len);
        f.Write(header);
        f.Write(data);
    }

    public static byte[] Floats(params float[] values)
    {
        var b = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(i * 4), values[i]);
        }
        return b;
    }

    public static string TempFolder()
    {
        var dir = Path.Combine(Path.GetTempPath(), "streamer-st-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
