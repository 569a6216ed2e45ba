using System.Buffers.Binary;
using System.Text;

namespace Streamer.KvStore;

/// <summary>Little-endian sequential writer over a span sized in advance by the caller.</summary>
internal ref struct SpanWriter
{
    private readonly Span<byte> _destination;
    private int _position;

    public SpanWriter(Span<byte> destination) => _destination = destination;

    public readonly int Position => _position;

    public void WriteByte(byte value) => _destination[_position++] = value;

    public void WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(_destination[_position..], value);
        _position += sizeof(ushort);
    }

    public void WriteInt32(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(_destination[_position..], value);
        _position += sizeof(int);
    }

    public void WriteInt64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_destination[_position..], value);
        _position += sizeof(long);
    }

    public void WriteSingle(float value)
    {
        BinaryPrimitives.WriteSingleLittleEndian(_destination[_position..], value);
        _position += sizeof(float);
    }

    public void WriteUtf8(string value, int byteCount)
    {
        _position += Encoding.UTF8.GetBytes(value, _destination.Slice(_position, byteCount));
    }
}
