namespace Streamer.Media.Rtcp;

/// <summary>Packet status symbols of transport-wide feedback (draft-holmer section 3.1.1).</summary>
public enum TwccPacketStatus : byte
{
    NotReceived = 0,
    /// <summary>Received; its delta fits one unsigned byte (0-63.75 ms).</summary>
    ReceivedSmallDelta = 1,
    /// <summary>Received; its delta needs two signed bytes.</summary>
    ReceivedLargeDelta = 2,
    /// <summary>Received with no delta (2-bit vectors only).</summary>
    ReceivedWithoutDelta = 3,
}
