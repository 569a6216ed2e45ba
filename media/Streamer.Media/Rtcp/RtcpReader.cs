namespace Streamer.Media.Rtcp;

/// <summary>Checks shared by every packet parser: header, type, declared length, padding.</summary>
internal static class RtcpReader
{
    /// <summary>
    /// Reads the header of the packet at the start of <paramref name="data"/> and returns its
    /// body (after the header, without padding when <paramref name="stripPadding"/>).
    /// </summary>
    public static bool TryReadPacket(ReadOnlySpan<byte> data, byte packetType, out RtcpHeader header,
        out ReadOnlySpan<byte> body, out ParseError error, bool stripPadding = true)
    {
        body = default;
        if (!RtcpHeader.TryUnmarshal(data, out header, out error))
        {
            return false;
        }
        if (header.PacketType != packetType)
        {
            error = ParseError.UnknownType;
            return false;
        }
        int size = header.PacketSize;
        if (data.Length < size)
        {
            error = ParseError.TooShort;
            return false;
        }
        body = data[RtcpHeader.Size..size];
        if (header.Padding && stripPadding)
        {
            int padding = body.IsEmpty ? 0 : body[^1];
            if (padding == 0 || padding > body.Length)
            {
                error = ParseError.BadPadding;
                return false;
            }
            body = body[..^padding];
        }
        return true;
    }

    /// <summary>As above, also checking a feedback packet's FMT.</summary>
    public static bool TryReadFeedback(ReadOnlySpan<byte> data, byte packetType, int format, out ReadOnlySpan<byte> body,
        out ParseError error, bool stripPadding = true)
    {
        if (!TryReadPacket(data, packetType, out var header, out body, out error, stripPadding))
        {
            return false;
        }
        if (header.Count != format)
        {
            error = ParseError.UnknownType;
            return false;
        }
        return true;
    }

    public static void EnsureSpace(Span<byte> destination, int size)
    {
        if (destination.Length < size)
        {
            throw new ArgumentException("Destination too small.", nameof(destination));
        }
    }
}
