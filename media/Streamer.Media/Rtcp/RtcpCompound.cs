namespace Streamer.Media.Rtcp;

/// <summary>
/// Splits and joins RTCP datagrams: compound packets (RFC 3550 section 6.1) and the
/// reduced-size single packets of rtcp-rsize (RFC 5506). Types it does not interpret come
/// back as <see cref="RawRtcpPacket"/>.
/// </summary>
public static class RtcpCompound
{
    /// <summary>
    /// Parses every packet of <paramref name="data"/> into <paramref name="packets"/>. A
    /// malformed packet rejects the whole datagram: nothing is added and the error says why.
    /// </summary>
    public static bool TryUnmarshal(ReadOnlySpan<byte> data, List<IRtcpPacket> packets, out ParseError error)
    {
        if (data.IsEmpty)
        {
            error = ParseError.TooShort;
            return false;
        }
        int start = packets.Count;
        error = ParseError.None;
        while (!data.IsEmpty)
        {
            if (!RtcpHeader.TryUnmarshal(data, out var header, out error))
            {
                break;
            }
            int size = header.PacketSize;
            if (data.Length < size)
            {
                error = ParseError.TooShort;
                break;
            }
            if (!TryUnmarshalOne(data[..size], header, out var packet, out error))
            {
                break;
            }
            packets.Add(packet);
            data = data[size..];
        }
        if (error != ParseError.None)
        {
            packets.RemoveRange(start, packets.Count - start);
            return false;
        }
        return true;
    }

    private static bool TryUnmarshalOne(ReadOnlySpan<byte> data, RtcpHeader header, out IRtcpPacket packet, out ParseError error)
    {
        bool ok;
        switch (header.PacketType)
        {
            case RtcpPacketType.SenderReport:
                ok = SenderReport.TryUnmarshal(data, out var sr, out error);
                packet = sr;
                return ok;
            case RtcpPacketType.ReceiverReport:
                ok = ReceiverReport.TryUnmarshal(data, out var rr, out error);
                packet = rr;
                return ok;
            case RtcpPacketType.SourceDescription:
                ok = SourceDescription.TryUnmarshal(data, out var sdes, out error);
                packet = sdes;
                return ok;
            case RtcpPacketType.Goodbye:
                ok = Goodbye.TryUnmarshal(data, out var bye, out error);
                packet = bye;
                return ok;
            case RtcpPacketType.TransportFeedback when header.Count == RtcpFeedbackFormat.Nack:
                ok = TransportLayerNack.TryUnmarshal(data, out var nack, out error);
                packet = nack;
                return ok;
            case RtcpPacketType.TransportFeedback when header.Count == RtcpFeedbackFormat.TransportCc:
                ok = TransportLayerCc.TryUnmarshal(data, out var twcc, out error);
                packet = twcc;
                return ok;
            case RtcpPacketType.PayloadFeedback when header.Count == RtcpFeedbackFormat.Pli:
                ok = PictureLossIndication.TryUnmarshal(data, out var pli, out error);
                packet = pli;
                return ok;
            case RtcpPacketType.PayloadFeedback when header.Count == RtcpFeedbackFormat.Fir:
                ok = FullIntraRequest.TryUnmarshal(data, out var fir, out error);
                packet = fir;
                return ok;
            case RtcpPacketType.PayloadFeedback when header.Count == RtcpFeedbackFormat.ApplicationLayer && ReceiverEstimatedMaximumBitrate.IsRemb(data):
                ok = ReceiverEstimatedMaximumBitrate.TryUnmarshal(data, out var remb, out error);
                packet = remb;
                return ok;
            default:
                ok = RawRtcpPacket.TryUnmarshal(data, out var raw, out error);
                packet = raw;
                return ok;
        }
    }

    public static int MarshalSize(IReadOnlyList<IRtcpPacket> packets)
    {
        int size = 0;
        foreach (var packet in packets)
        {
            size += packet.MarshalSize;
        }
        return size;
    }

    /// <summary>Writes the packets back to back; returns the datagram's length.</summary>
    public static int Marshal(IReadOnlyList<IRtcpPacket> packets, Span<byte> destination)
    {
        RtcpReader.EnsureSpace(destination, MarshalSize(packets));
        int offset = 0;
        foreach (var packet in packets)
        {
            offset += packet.MarshalTo(destination[offset..]);
        }
        return offset;
    }
}
