namespace Streamer.Media.Rtcp;

/// <summary>
/// One FCI entry of a generic NACK (RFC 4585 section 6.2.1): a lost packet id (PID) and a
/// bitmask of the 16 following lost packets (BLP; bit i means PID+i+1).
/// </summary>
public readonly record struct NackPair(ushort PacketId, ushort LostPackets)
{
    public bool Contains(ushort sequenceNumber)
    {
        int delta = (ushort)(sequenceNumber - PacketId);
        return delta == 0 || (delta <= 16 && (LostPackets & (1 << (delta - 1))) != 0);
    }

    /// <summary>Appends the sequence numbers this pair covers, in order.</summary>
    public void AddSequenceNumbers(List<ushort> destination)
    {
        destination.Add(PacketId);
        for (int i = 0; i < 16; i++)
        {
            if ((LostPackets & (1 << i)) != 0)
            {
                destination.Add((ushort)(PacketId + i + 1));
            }
        }
    }
}
