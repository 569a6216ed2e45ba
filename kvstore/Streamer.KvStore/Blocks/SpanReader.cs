using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;

namespace Streamer.KvStore;

/// <summary>Little-endian sequential reader that reports running out of bytes instead of throwing.</summary>
internal ref struct SpanReader
{
    private readonly ReadOnlySpan<byte> _source;
    private int _position;

    public SpanReader(ReadOnlySpan<byte> source) => _source = source;

    public readonly int Remaining => _source.Length - _position;

    public bool TryReadByte(out byte value)
    {
        if (Remaining < 1)
        {
            value = 0;
            return false;
        }
        value = _source[_position++];
        return true;
    }

    public bool TryReadUInt16(out ushort value)
    {
        if (Remaining < sizeof(ushort))
        {
            value = 0;
            return false;
        }
        value = BinaryPrimitives.ReadUInt16LittleEndian(_source[_position..]);
        _position += sizeof(ushort);
        return true;
    }

    public bool TryReadInt32(out int value)
    {
        if (Remaining < sizeof(int))
        {
            value = 0;
            return false;
        }
        value = BinaryPrimitives.ReadInt32LittleEndian(_source[_position..]);
        _position += sizeof(int);
        return true;
    }

    public bool TryReadInt64(out long value)
    {
        if (Remaining < sizeof(long))
        {
            value = 0;
            return false;
        }
        value = BinaryPrimitives.ReadInt64LittleEndian(_source[_position..]);
        _position += sizeof(long);
        return true;
    }

    public bool TryReadSingle(out float value)
    {
        if (Remaining < sizeof(float))
        {
            value = 0;
            return false;
        }
        value = BinaryPrimitives.ReadSingleLittleEndian(_source[_position..]);
        _position += sizeof(float);
        return true;
    }

    public bool TryReadUtf8(int byteCount, out string? value)
    {
        if (Remaining < byteCount)
        {
            value = null;
            return false;
        }
        ReadOnlySpan<byte> bytes = _source.Slice(_position, byteCount);
        _position += byteCount;
        if (!Utf8.IsValid(bytes))
        {
            value = null;
            return false;
        }
        value = Encoding.UTF8.GetString(bytes);
        return true;
    }
}
