namespace Streamer.Media.Rtp;

/// <summary>
/// The abs-send-time header extension (http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time):
/// 24 bits, the low 6 bits of NTP seconds and 18 bits of fraction (6.18 fixed point).
/// </summary>
public static class AbsSendTime
{
    public const string Uri = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
    public const int Size = 3;
    private const int FractionBits = 18;

    public static bool TryRead(ReadOnlySpan<byte> value, out uint sendTime)
    {
        if (value.Length < Size)
        {
            sendTime = 0;
            return false;
        }
        sendTime = (uint)((value[0] << 16) | (value[1] << 8) | value[2]);
        return true;
    }

    /// <summary>Seconds represented by a 6.18 value (wraps every 64 s).</summary>
    public static double ToSeconds(uint sendTime) => (double)sendTime / (1 << FractionBits);

    /// <summary>The 6.18 value of a 64-bit NTP timestamp (bits 14..37 of it).</summary>
    public static uint FromNtp(ulong ntp) => (uint)((ntp >> 14) & 0xFFFFFF);

    public static int Write(Span<byte> destination, uint sendTime)
    {
        destination[0] = (byte)(sendTime >> 16);
        destination[1] = (byte)(sendTime >> 8);
        destination[2] = (byte)sendTime;
        return Size;
    }
}
