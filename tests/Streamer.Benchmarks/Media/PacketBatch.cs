namespace Streamer.Benchmarks.Media;

/// <summary>
/// Datagrams laid end to end in one buffer, as a receive loop would find them one after the
/// other, with a same-sized work buffer to copy them into (SRTP decrypts in place).
/// </summary>
public sealed class PacketBatch
{
    private readonly byte[] _wire;
    private readonly int[] _offsets;
    private readonly int[] _lengths;

    public PacketBatch(IReadOnlyList<byte[]> packets)
    {
        _offsets = new int[packets.Count];
        _lengths = new int[packets.Count];
        var total = 0;
        for (var i = 0; i < packets.Count; i++)
        {
            _offsets[i] = total;
            _lengths[i] = packets[i].Length;
            total += packets[i].Length;
        }
        _wire = new byte[total];
        Work = new byte[total];
        for (var i = 0; i < packets.Count; i++)
        {
            packets[i].CopyTo(_wire, _offsets[i]);
        }
    }

    public int Count => _offsets.Length;

    public int TotalBytes => _wire.Length;

    public byte[] Work { get; }

    /// <summary>Copies datagram <paramref name="index"/> into the work buffer and returns that copy.</summary>
    public Span<byte> Receive(int index)
    {
        var offset = _offsets[index];
        var length = _lengths[index];
        var copy = Work.AsSpan(offset, length);
        _wire.AsSpan(offset, length).CopyTo(copy);
        return copy;
    }
}
