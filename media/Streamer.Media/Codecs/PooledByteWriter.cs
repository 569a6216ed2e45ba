using System.Buffers;

namespace Streamer.Media.Codecs;

/// <summary>
/// A growable byte buffer rented from the shared pool, used to assemble a frame without
/// allocating per frame. <see cref="ToFrame"/> hands the buffer to an <see cref="EncodedFrame"/>.
/// </summary>
public sealed class PooledByteWriter : IDisposable
{
    private byte[] _buffer;
    private int _length;

    public PooledByteWriter(int initialCapacity = 4096)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(16, initialCapacity));
    }

    public int Length => _length;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    public void Write(ReadOnlySpan<byte> bytes)
    {
        EnsureCapacity(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    public void Write(byte value)
    {
        EnsureCapacity(1);
        _buffer[_length++] = value;
    }

    public void Clear() => _length = 0;

    /// <summary>Moves the written bytes into a frame; the writer starts over with a fresh buffer.</summary>
    public EncodedFrame ToFrame(VideoCodec codec, uint rtpTimestamp, bool isKeyframe, DateTimeOffset firstArrival)
    {
        var frame = new EncodedFrame(_buffer, _length, codec, isAudio: false, rtpTimestamp, isKeyframe, firstArrival);
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(16, _length));
        _length = 0;
        return frame;
    }

    private void EnsureCapacity(int extra)
    {
        if (_length + extra <= _buffer.Length)
        {
            return;
        }

        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + extra));
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _length = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
