using Streamer.Media.Srtp;

namespace Streamer.Media.Tests.Srtp;

/// <summary>
/// The libsrtp reference packets (srtp_driver srtp_validate) for AES_CM_128_HMAC_SHA1_80,
/// keyed with the RFC 3711 appendix B.3 master key.
/// </summary>
public class SrtpAesCmVectorTests
{
    private static readonly byte[] MasterKey = Hex.Parse("e1f97a0d3e018be0d64fa32c06de4139");
    private static readonly byte[] MasterSalt = Hex.Parse("0ec675ad498afeebb6960b3aabe6");

    private static readonly byte[] Rtp = Hex.Parse("""
        800f1234 decafbad cafebabe
        abababab abababab abababab abababab
        """); // v=2, PT=15, seq=0x1234, ts=0xdecafbad, SSRC=0xcafebabe, 16 payload octets

    private static readonly byte[] Srtp = Hex.Parse("""
        800f1234 decafbad cafebabe
        4e55dc4c e79978d8 8ca4d215 949d2402
        b78d6acc 99ea179b 8dbb
        """); // header | encrypted payload | 80-bit tag

    private static readonly byte[] Rtcp = Hex.Parse("""
        81c8000b cafebabe
        abababab abababab abababab abababab
        """); // v=2, RC=1, SR, len=11, sender SSRC=0xcafebabe, 16 octets

    private static readonly byte[] Srtcp = Hex.Parse("""
        81c8000b cafebabe
        7128035b e487b9bd bef89041 f977a5a8
        80000001
        993e08cd 54d6c123 0798
        """); // header | encrypted | E=1, index 1 | 80-bit tag

    [Fact]
    public void Protect_rtp_matches_libsrtp_reference_packet()
    {
        using var context = SrtpContext.Create(SrtpProfile.Aes128CmHmacSha1_80, MasterKey, MasterSalt);
        var output = new byte[Rtp.Length + context.RtpOverhead];

        Assert.True(context.TryProtectRtp(Rtp, output, out var written));

        Assert.Equal(Srtp, output[..written]);
    }

    [Fact]
    public void Unprotect_rtp_matches_libsrtp_reference_packet()
    {
        using var context = SrtpContext.Create(SrtpProfile.Aes128CmHmacSha1_80, MasterKey, MasterSalt);
        var packet = (byte[])Srtp.Clone();

        Assert.True(context.TryUnprotectRtp(packet, out var plainLength, out var error));

        Assert.Equal(ParseError.None, error);
        Assert.Equal(Rtp, packet[..plainLength]);
    }

    [Fact]
    public void Protect_rtcp_matches_libsrtp_reference_packet()
    {
        using var context = SrtpContext.Create(SrtpProfile.Aes128CmHmacSha1_80, MasterKey, MasterSalt);
        var output = new byte[Rtcp.Length + context.RtcpOverhead];

        // libsrtp's first SRTCP index is 1; ours is 0 as RFC 3711 section 3.3.2 says.
        Assert.True(context.TryProtectRtcp(Rtcp, output, out _));
        Assert.True(context.TryProtectRtcp(Rtcp, output, out var written));

        Assert.Equal(Srtcp, output[..written]);
    }

    [Fact]
    public void Unprotect_rtcp_matches_libsrtp_reference_packet()
    {
        using var context = SrtpContext.Create(SrtpProfile.Aes128CmHmacSha1_80, MasterKey, MasterSalt);
        var packet = (byte[])Srtcp.Clone();

        Assert.True(context.TryUnprotectRtcp(packet, out var plainLength, out var error));

        Assert.Equal(ParseError.None, error);
        Assert.Equal(Rtcp, packet[..plainLength]);
    }

    [Fact]
    public void Short_tag_profile_truncates_the_same_hmac_to_32_bits()
    {
        using var context = SrtpContext.Create(SrtpProfile.Aes128CmHmacSha1_32, MasterKey, MasterSalt);
        var output = new byte[Rtp.Length + context.RtpOverhead];

        Assert.True(context.TryProtectRtp(Rtp, output, out var written));

        Assert.Equal(4, context.RtpOverhead);
        Assert.Equal(Srtp[..(Rtp.Length + 4)], output[..written]);
    }
}
