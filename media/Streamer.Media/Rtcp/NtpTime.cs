namespace Streamer.Media.Rtcp;

/// <summary>64-bit NTP timestamps (RFC 5905: 32.32 seconds since 1900-01-01 UTC) as used by SRs.</summary>
public static class NtpTime
{
    private static readonly DateTimeOffset Epoch = new(1900, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static ulong FromDateTimeOffset(DateTimeOffset time)
    {
        long ticks = (time - Epoch).Ticks;
        ulong seconds = (ulong)(ticks / TimeSpan.TicksPerSecond);
        // Rounded both ways so a time survives the round trip to the tick.
        ulong fraction = (((ulong)(ticks % TimeSpan.TicksPerSecond) << 32) + (TimeSpan.TicksPerSecond / 2)) / TimeSpan.TicksPerSecond;
        return (seconds << 32) | fraction;
    }

    public static DateTimeOffset ToDateTimeOffset(ulong ntp)
    {
        long seconds = (long)(ntp >> 32);
        long ticks = (long)((((ntp & 0xFFFFFFFF) * TimeSpan.TicksPerSecond) + (1UL << 31)) >> 32);
        return Epoch.AddTicks((seconds * TimeSpan.TicksPerSecond) + ticks);
    }

    /// <summary>The middle 32 bits, the "compact" form used by LSR and DLSR.</summary>
    public static uint ToCompact(ulong ntp) => (uint)(ntp >> 16);

    /// <summary>A duration in 1/65536 s units, as DLSR carries it.</summary>
    public static uint DurationToCompact(TimeSpan duration) =>
        duration <= TimeSpan.Zero ? 0 : (uint)Math.Min(uint.MaxValue, duration.Ticks * 65536 / TimeSpan.TicksPerSecond);
}
