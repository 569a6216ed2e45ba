using System.Buffers;

namespace Streamer.Media.Codecs;

/// <summary>
/// A decoded picture in I420: the Y plane (stride <see cref="Width"/>), then U and V (stride
/// <see cref="ChromaWidth"/>), in one buffer rented from the shared pool. Dispose returns it.
/// </summary>
public sealed class VideoFrame : IDisposable
{
    private byte[]? _buffer;

    private VideoFrame(byte[] buffer, int width, int height, uint rtpTimestamp)
    {
        _buffer = buffer;
        Width = width;
        Height = height;
        RtpTimestamp = rtpTimestamp;
    }

    public static VideoFrame Allocate(int width, int height, uint rtpTimestamp = 0)
    {
        if (width <= 0 || height <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(width), "Frame dimensions must be positive.");
        }
        return new VideoFrame(ArrayPool<byte>.Shared.Rent(SizeOf(width, height)), width, height, rtpTimestamp);
    }

    /// <summary>Bytes of an I420 picture of this size.</summary>
    public static int SizeOf(int width, int height) => (width * height) + (2 * ((width + 1) / 2) * ((height + 1) / 2));

    public int Width { get; }
    public int Height { get; }
    public uint RtpTimestamp { get; set; }
    public int ChromaWidth => (Width + 1) / 2;
    public int ChromaHeight => (Height + 1) / 2;
    public int Length => SizeOf(Width, Height);

    public Memory<byte> Data => Buffer.AsMemory(0, Length);
    public Span<byte> Y => Buffer.AsSpan(0, Width * Height);
    public Span<byte> U => Buffer.AsSpan(Width * Height, ChromaWidth * ChromaHeight);
    public Span<byte> V => Buffer.AsSpan((Width * Height) + (ChromaWidth * ChromaHeight), ChromaWidth * ChromaHeight);

    private byte[] Buffer => _buffer ?? throw new ObjectDisposedException(nameof(VideoFrame));

    /// <summary>Packed RGB24 (BT.601, limited range), Width*Height*3 bytes.</summary>
    public void ToRgb24(Span<byte> destination)
    {
        if (destination.Length < Width * Height * 3)
        {
            throw new ArgumentException("Destination too small.", nameof(destination));
        }

        var y = Y;
        var u = U;
        var v = V;
        var chromaWidth = ChromaWidth;
        for (var row = 0; row < Height; row++)
        {
            var lumaRow = y.Slice(row * Width, Width);
            var chromaOffset = (row / 2) * chromaWidth;
            var output = destination.Slice(row * Width * 3, Width * 3);
            for (var column = 0; column < Width; column++)
            {
                var c = 298 * (lumaRow[column] - 16);
                var d = u[chromaOffset + (column / 2)] - 128;
                var e = v[chromaOffset + (column / 2)] - 128;
                output[column * 3] = Clamp((c + (409 * e) + 128) >> 8);
                output[(column * 3) + 1] = Clamp((c - (100 * d) - (208 * e) + 128) >> 8);
                output[(column * 3) + 2] = Clamp((c + (516 * d) + 128) >> 8);
            }
        }
    }

    public byte[] ConvertToRgb24()
    {
        var rgb = new byte[Width * Height * 3];
        ToRgb24(rgb);
        return rgb;
    }

    /// <summary>Peak signal-to-noise ratio in dB of two 8-bit planes (infinity when equal).</summary>
    public static double Psnr(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        if (a.Length != b.Length || a.IsEmpty)
        {
            throw new ArgumentException("Planes must be non-empty and of equal length.", nameof(b));
        }

        double sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var diff = a[i] - b[i];
            sum += diff * diff;
        }
        if (sum == 0)
        {
            return double.PositiveInfinity;
        }
        var mse = sum / a.Length;
        return 10 * Math.Log10(255.0 * 255.0 / mse);
    }

    private static byte Clamp(int value) => (byte)Math.Clamp(value, 0, 255);

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
