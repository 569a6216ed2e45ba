using System.Buffers.Binary;
using System.Numerics;

namespace Streamer.KvStore;

/// <summary>
/// CRC-32C (Castagnoli, the iSCSI polynomial). <see cref="BitOperations.Crc32C(uint, ulong)"/>
/// uses the CPU's CRC instruction where there is one, so checking a multi-megabyte block
/// costs well under a millisecond, and no package is needed for it.
/// </summary>
public static class Crc32C
{
    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);

    /// <summary>Continues a CRC over more bytes: <c>Append(Compute(a), b) == Compute(a ++ b)</c>.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        uint state = ~crc;
        while (data.Length >= sizeof(ulong))
        {
            state = BitOperations.Crc32C(state, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[sizeof(ulong)..];
        }
        foreach (byte b in data)
        {
            state = BitOperations.Crc32C(state, b);
        }
        return ~state;
    }
}
