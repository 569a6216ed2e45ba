namespace Streamer.Media.Rtcp;

/// <summary>RTCP packet types (RFC 3550 section 12.1, RFC 4585 section 6.1).</summary>
public static class RtcpPacketType
{
    public const byte SenderReport = 200;
    public const byte ReceiverReport = 201;
    public const byte SourceDescription = 202;
    public const byte Goodbye = 203;
    public const byte ApplicationDefined = 204;
    /// <summary>Transport layer feedback (RTPFB).</summary>
    public const byte TransportFeedback = 205;
    /// <summary>Payload-specific feedback (PSFB).</summary>
    public const byte PayloadFeedback = 206;
}

/// <summary>FMT values in the count field of feedback packets.</summary>
public static class RtcpFeedbackFormat
{
    /// <summary>RTPFB: generic NACK (RFC 4585 6.2.1).</summary>
    public const int Nack = 1;
    /// <summary>RTPFB: transport-wide congestion control (draft-holmer).</summary>
    public const int TransportCc = 15;
    /// <summary>PSFB: picture loss indication (RFC 4585 6.3.1).</summary>
    public const int Pli = 1;
    /// <summary>PSFB: full intra request (RFC 5104 4.3.1).</summary>
    public const int Fir = 4;
    /// <summary>PSFB: application layer feedback, used by REMB.</summary>
    public const int ApplicationLayer = 15;
}
