using Streamer.Media.Dtls;

namespace Streamer.Media.Tests.Dtls;

public sealed class DtlsRecordTests
{
    [Theory]
    [InlineData(new byte[] { 0x00, 0x01 }, false)] // STUN binding request
    [InlineData(new byte[] { 0x03 }, false)]       // last STUN value
    [InlineData(new byte[] { 19 }, false)]         // ZRTP range
    [InlineData(new byte[] { 20 }, true)]          // change_cipher_spec, first DTLS value
    [InlineData(new byte[] { 22, 0xFE, 0xFD }, true)] // handshake, DTLS 1.2
    [InlineData(new byte[] { 23 }, true)]          // application_data
    [InlineData(new byte[] { 63 }, true)]          // last DTLS value
    [InlineData(new byte[] { 64 }, false)]         // TURN channel
    [InlineData(new byte[] { 0x80, 0x60 }, false)] // RTP v=2, PT 96
    [InlineData(new byte[] { 0x81, 0xC8 }, false)] // RTCP sender report
    [InlineData(new byte[] { }, false)]            // empty datagram
    public void LooksLikeDtls_follows_the_rfc_7983_first_byte_ranges(byte[] datagram, bool expected)
    {
        Assert.Equal(expected, DtlsRecord.LooksLikeDtls(datagram));
    }
}
