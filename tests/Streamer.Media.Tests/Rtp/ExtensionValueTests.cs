using Streamer.Media.Rtp;

namespace Streamer.Media.Tests.Rtp;

public class ExtensionValueTests
{
    [Fact]
    public void AbsSendTime_reads_6_18_fixed_point()
    {
        byte[] value = [0x06, 0x00, 0x00]; // 0x060000 = 1.5 * 2^18
        Assert.True(AbsSendTime.TryRead(value, out uint t));
        Assert.Equal(1.5, AbsSendTime.ToSeconds(t));
        Assert.False(AbsSendTime.TryRead(value.AsSpan(0, 2), out _));
    }

    [Fact]
    public void AbsSendTime_from_ntp_takes_six_bits_of_seconds()
    {
        ulong ntp = (65UL << 32) | 0x8000_0000UL; // 65.5 s: seconds wrap at 64
        Assert.Equal(1.5, AbsSendTime.ToSeconds(AbsSendTime.FromNtp(ntp)));
        Span<byte> buffer = stackalloc byte[3];
        AbsSendTime.Write(buffer, AbsSendTime.FromNtp(ntp));
        Assert.Equal(new byte[] { 0x06, 0x00, 0x00 }, buffer.ToArray());
    }

    [Fact]
    public void TransportSequenceNumber_round_trips()
    {
        Span<byte> buffer = stackalloc byte[2];
        TransportSequenceNumber.Write(buffer, 0xbeef);
        Assert.Equal(new byte[] { 0xbe, 0xef }, buffer.ToArray());
        Assert.True(TransportSequenceNumber.TryRead(buffer, out ushort seq));
        Assert.Equal(0xbeef, seq);
        Assert.False(TransportSequenceNumber.TryRead(buffer[..1], out _));
    }

    [Fact]
    public void SdesMid_reads_text()
    {
        Assert.True(SdesMid.TryRead("video0"u8, out string mid));
        Assert.Equal("video0", mid);
        Assert.False(SdesMid.TryRead([], out _));
        Assert.Equal("0"u8.ToArray(), SdesMid.Encode("0"));
    }
}
