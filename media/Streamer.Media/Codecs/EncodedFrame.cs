using System.Buffers;

namespace Streamer.Media.Codecs;

/// <summary>
/// One compressed frame (a VP8 frame, an H.264 access unit in Annex-B form, or one Opus
/// packet) in a buffer rented from <see cref="ArrayPool{T}.Shared"/>. The owner disposes it,
/// which returns the buffer; <see cref="Data"/> must not be used afterwards.
/// </summary>
public sealed class EncodedFrame : IDisposable
{
    private byte[]? _buffer;
    private readonly int _length;

    internal EncodedFrame(byte[] pooledBuffer, int length, VideoCodec codec, bool isAudio, uint rtpTimestamp, bool isKeyframe, DateTimeOffset firstArrival)
    {
        _buffer = pooledBuffer;
        _length = length;
        Codec = codec;
        IsAudio = isAudio;
        RtpTimestamp = rtpTimestamp;
        IsKeyframe = isKeyframe;
        FirstArrival = firstArrival;
    }

    /// <summary>Copies <paramref name="data"/> into a pooled buffer.</summary>
    public static EncodedFrame Copy(ReadOnlySpan<byte> data, VideoCodec codec, uint rtpTimestamp, bool isKeyframe, DateTimeOffset firstArrival = default)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, data.Length));
        data.CopyTo(buffer);
        return new EncodedFrame(buffer, data.Length, codec, isAudio: false, rtpTimestamp, isKeyframe, firstArrival);
    }

    /// <summary>Copies one Opus packet into a pooled buffer; every Opus packet decodes on its own.</summary>
    public static EncodedFrame CopyAudio(ReadOnlySpan<byte> data, uint rtpTimestamp, DateTimeOffset firstArrival = default)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, data.Length));
        data.CopyTo(buffer);
        return new EncodedFrame(buffer, data.Length, default, isAudio: true, rtpTimestamp, isKeyframe: true, firstArrival);
    }

    public ReadOnlyMemory<byte> Data => _buffer is { } buffer
        ? buffer.AsMemory(0, _length)
        : throw new ObjectDisposedException(nameof(EncodedFrame));

    public int Length => _length;

    /// <summary>The video codec; meaningless when <see cref="IsAudio"/> (audio is always Opus).</summary>
    public VideoCodec Codec { get; }

    public bool IsAudio { get; }

    public uint RtpTimestamp { get; }

    public bool IsKeyframe { get; }

    /// <summary>Arrival of the frame's first packet, for latency metrics.</summary>
    public DateTimeOffset FirstArrival { get; }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
