using System.Buffers.Binary;
using Streamer.Models.Weights;
using TorchSharp;
using static Streamer.Models.Tests.Weights.SafeTensorsWriter;
using static TorchSharp.torch;

namespace Streamer.Models.Tests.Weights;

public sealed class SafeTensorsFileTests : IDisposable
{
    private readonly string _dir = TempFolder();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PathOf(string name) => Path.Combine(_dir, name);

    [Fact]
    public void Load_reads_every_supported_dtype_with_its_values()
    {
        var f64 = new byte[16];
        BinaryPrimitives.WriteDoubleLittleEndian(f64, -2.5);
        BinaryPrimitives.WriteDoubleLittleEndian(f64.AsSpan(8), 1e300);
        var f16 = new byte[4];
        BinaryPrimitives.WriteHalfLittleEndian(f16, (Half)1.5f);
        BinaryPrimitives.WriteHalfLittleEndian(f16.AsSpan(2), (Half)(-3.0f));
        // bf16 is the top 16 bits of a float32: 0x3FC0 = 1.5, 0xC040 = -3.0
        byte[] bf16 = [0xC0, 0x3F, 0x40, 0xC0];
        var i64 = new byte[16];
        BinaryPrimitives.WriteInt64LittleEndian(i64, long.MinValue);
        BinaryPrimitives.WriteInt64LittleEndian(i64.AsSpan(8), 151645);
        var i32 = new byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(i32, -7);
        BinaryPrimitives.WriteInt32LittleEndian(i32.AsSpan(4), int.MaxValue);
        byte[] i16 = [0xFE, 0xFF, 0x10, 0x00]; // -2, 16
        byte[] i8 = [0xFF, 0x7F]; // -1, 127
        byte[] u8 = [0, 200, 255];
        byte[] boolean = [1, 0, 1];

        var path = PathOf("all.safetensors");
        Write(path,
        [
            new("f32", "F32", [2, 2], Floats(1f, -2f, 3.25f, float.MaxValue)),
            new("f64", "F64", [2], f64),
            new("f16", "F16", [2], f16),
            new("bf16", "BF16", [2], bf16),
            new("i64", "I64", [2], i64),
            new("i32", "I32", [2], i32),
            new("i16", "I16", [2], i16),
            new("i8", "I8", [2], i8),
            new("u8", "U8", [3], u8),
            new("bool", "BOOL", [3], boolean),
            new("scalar", "F32", [], Floats(42f)),
            new("empty", "F32", [0, 4], []),
        ]);

        using var file = SafeTensorsFile.Open(path);
        Assert.Equal(12, file.Tensors.Count);
        Assert.Equal("pt", file.Metadata["format"]);

        using (var t = file.Load("f32"))
        {
            Assert.Equal(ScalarType.Float32, t.dtype);
            Assert.Equal([2L, 2], t.shape);
            Assert.Equal([1f, -2f, 3.25f, float.MaxValue], t.data<float>().ToArray());
        }
        using (var t = file.Load("f64"))
        {
            Assert.Equal([-2.5, 1e300], t.data<double>().ToArray());
        }
        using (var t = file.Load("f16", ScalarType.Float32))
        {
            Assert.Equal([1.5f, -3f], t.data<float>().ToArray());
        }
        using (var t = file.Load("bf16"))
        {
            Assert.Equal(ScalarType.BFloat16, t.dtype);
        }
        using (var t = file.Load("bf16", ScalarType.Float32))
        {
            Assert.Equal([1.5f, -3f], t.data<float>().ToArray());
        }
        using (var t = file.Load("i64"))
        {
            Assert.Equal([long.MinValue, 151645L], t.data<long>().ToArray());
        }
        using (var t = file.Load("i32"))
        {
            Assert.Equal([-7, int.MaxValue], t.data<int>().ToArray());
        }
        using (var t = file.Load("i16"))
        {
            Assert.Equal([(short)-2, (short)16], t.data<short>().ToArray());
        }
        using (var t = file.Load("i8"))
        {
            Assert.Equal([(sbyte)-1, (sbyte)127], t.data<sbyte>().ToArray());
        }
        using (var t = file.Load("u8"))
        {
            Assert.Equal([(byte)0, (byte)200, (byte)255], t.data<byte>().ToArray());
        }
        using (var t = file.Load("bool"))
        {
            Assert.Equal([true, false, true], t.data<bool>().ToArray());
        }
        using (var t = file.Load("scalar"))
        {
            Assert.Empty(t.shape);
            Assert.Equal(42f, t.item<float>());
        }
        using (var t = file.Load("empty"))
        {
            Assert.Equal([0L, 4], t.shape);
        }
    }

    [Fact]
    public void Info_reports_shape_dtype_and_absolute_offset()
    {
        var path = PathOf("info.safetensors");
        Write(path, [new("a", "F32", [1], Floats(1f)), new("b", "F32", [3], Floats(1f, 2f, 3f))]);

        using var file = SafeTensorsFile.Open(path);
        var b = file.GetInfo("b");

        Assert.Equal([3L], b.Shape);
        Assert.Equal("F32", b.DType);
        Assert.Equal(12, b.ByteLength);
        Assert.Equal(path, b.File);
        // b's data follows a's 4 bytes after the 8-byte prefix and the header.
        Assert.Equal(file.GetInfo("a").DataStart + 4, b.DataStart);
    }

    [Fact]
    public void Open_rejects_truncated_data_naming_tensor_and_file()
    {
        var path = PathOf("truncated.safetensors");
        Write(path, [new("w", "F32", [4], Floats(1f, 2f, 3f, 4f))], dropTrailingBytes: 3);

        var e = Assert.Throws<CheckpointException>(() => SafeTensorsFile.Open(path));

        Assert.Contains("'w'", e.Message, StringComparison.Ordinal);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_rejects_header_length_beyond_file()
    {
        var path = PathOf("bad-length.safetensors");
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, 1000);
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<CheckpointException>(() => SafeTensorsFile.Open(path));

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("header length", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_rejects_file_shorter_than_length_prefix()
    {
        var path = PathOf("tiny.safetensors");
        File.WriteAllBytes(path, [1, 2, 3]);

        var e = Assert.Throws<CheckpointException>(() => SafeTensorsFile.Open(path));

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_rejects_header_that_is_not_json()
    {
        var path = PathOf("garbage.safetensors");
        WriteRaw(path, "{\"w\": {\"dtype\": \"F32\",", []);

        var e = Assert.Throws<CheckpointException>(() => SafeTensorsFile.Open(path));

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("JSON", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_rejects_entry_without_data_offsets()
    {
        var path = PathOf("no-offsets.safetensors");
        WriteRaw(path, "{\"w\": {\"dtype\": \"F32\", \"shape\": [1]}}", Floats(1f));

        var e = Assert.Throws<CheckpointException>(() => SafeTensorsFile.Open(path));

        Assert.Contains("'w'", e.Message, StringComparison.Ordinal);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_rejects_byte_count_that_disagrees_with_shape()
    {
        var path = PathOf("mismatch.safetensors");
        // 3 floats declared, 8 bytes given
        WriteRaw(path, "{\"w\": {\"dtype\": \"F32\", \"shape\": [3], \"data_offsets\": [0, 8]}}", Floats(1f, 2f));

        var e = Assert.Throws<CheckpointException>(() => SafeTensorsFile.Open(path));

        Assert.Contains("'w'", e.Message, StringComparison.Ordinal);
        Assert.Contains("do not match shape", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_rejects_unknown_dtype_naming_tensor_and_file()
    {
        var path = PathOf("fp8.safetensors");
        WriteRaw(path, "{\"w\": {\"dtype\": \"F8_E4M3\", \"shape\": [2], \"data_offsets\": [0, 2]}}", [1, 2]);

        using var file = SafeTensorsFile.Open(path);
        var e = Assert.Throws<CheckpointException>(() => file.Load("w"));

        Assert.Contains("'w'", e.Message, StringComparison.Ordinal);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("F8_E4M3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_of_absent_name_names_it()
    {
        var path = PathOf("one.safetensors");
        Write(path, [new("w", "F32", [1], Floats(1f))]);

        using var file = SafeTensorsFile.Open(path);
        var e = Assert.Throws<CheckpointException>(() => file.Load("nope"));

        Assert.Contains("'nope'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_of_random_headers_throws_only_checkpoint_exceptions()
    {
        var rng = new Random(20250101);
        var path = PathOf("fuzz.safetensors");
        string[] fragments = ["{", "}", "\"w\"", ":", ",", "\"dtype\"", "\"F32\"", "\"shape\"", "[", "]", "1", "-4",
            "\"data_offsets\"", "0", "99999999999", "null", "\"__metadata__\"", "\"BF16\"", "4"];
        for (var i = 0; i < 2000; i++)
        {
            var header = string.Concat(Enumerable.Range(0, rng.Next(1, 30)).Select(_ => fragments[rng.Next(fragments.Length)]));
            var data = new byte[rng.Next(0, 16)];
            rng.NextBytes(data);
            WriteRaw(path, header, data);
            try
            {
                using var f = SafeTensorsFile.Open(path);
                foreach (var info in f.Tensors)
                {
                    try
                    {
                        f.Load(info.Name).Dispose();
                    }
                    catch (CheckpointException)
                    {
                    }
                }
            }
            catch (CheckpointException)
            {
            }
        }
    }
}
