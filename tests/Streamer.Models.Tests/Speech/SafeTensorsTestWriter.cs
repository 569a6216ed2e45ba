using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Streamer.Models.Weights;
using static TorchSharp.torch;

namespace Streamer.Models.Tests.Speech;

/// <summary>Writes tensors as a safetensors file (8-byte little-endian header length, JSON header, data).</summary>
internal static class SafeTensorsTestWriter
{
    public static void Write(string path, IReadOnlyList<(string Name, Tensor Value)> tensors)
    {
        var header = new Dictionary<string, object>();
        var blobs = new List<byte[]>();
        long offset = 0;
        foreach (var (name, value) in tensors)
        {
            var bytes = value.contiguous().cpu().bytes.ToArray();
            header[name] = new { dtype = SafeTensorsDType.NameOf(value.dtype), shape = value.shape, data_offsets = new[] { offset, offset + bytes.Length } };
            blobs.Add(bytes);
            offset += bytes.Length;
        }
        var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        var padded = (json.Length + 7) / 8 * 8;
        using var stream = File.Create(path);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(length, padded);
        stream.Write(length);
        stream.Write(json);
        for (var i = json.Length; i < padded; i++)
        {
            stream.WriteByte((byte)' ');
        }
        foreach (var blob in blobs)
        {
            stream.Write(blob);
        }
    }
}
