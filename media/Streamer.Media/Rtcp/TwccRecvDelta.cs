namespace Streamer.Media.Rtcp;

/// <summary>
/// A receive delta (draft-holmer section 3.1.5): arrival time relative to the previous
/// received packet (or the reference time), in 250 µs ticks. Small deltas take one unsigned
/// byte, large ones two signed bytes.
/// </summary>
public readonly record struct TwccRecvDelta(TwccPacketStatus Type, int Ticks)
{
    public const int MicrosecondsPerTick = 250;

    public long Microseconds => (long)Ticks * MicrosecondsPerTick;

    public int Size => Type == TwccPacketStatus.ReceivedLargeDelta ? 2 : 1;
}

/// <summary>One entry of a feedback's input or result: a transport sequence number and, when received, its arrival.</summary>
public readonly record struct TwccPacketArrival(ushort SequenceNumber, long? ArrivalMicroseconds);
