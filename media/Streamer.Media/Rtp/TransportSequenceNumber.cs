using System.Buffers.Binary;

namespace Streamer.Media.Rtp;

/// <summary>
/// The transport-wide sequence number extension
/// (draft-holmer-rmcat-transport-wide-cc-extensions-01 section 2): one 16-bit counter
/// shared by every stream on the transport.
/// </summary>
public static class TransportSequenceNumber
{
    public const string Uri = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
    public const int Size = 2;

    public static bool TryRead(ReadOnlySpan<byte> value, out ushort sequenceNumber)
    {
        if (value.Length < Size)
        {
            sequenceNumber = 0;
            return false;
        }
        sequenceNumber = BinaryPrimitives.ReadUInt16BigEndian(value);
        return true;
    }

    public static int Write(Span<byte> destination, ushort sequenceNumber)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, sequenceNumber);
        return Size;
    }
}
