using Streamer.Media.Srtp;

namespace Streamer.Media.Tests.Srtp;

/// <summary>RFC 7714 sections 16 and 17 (AEAD_AES_128_GCM), given as session keys.</summary>
public class SrtpGcmVectorTests
{
    private static readonly byte[] Key = Hex.Parse("000102030405060708090a0b0c0d0e0f");
    private static readonly byte[] Salt = Hex.Parse("517569642070726f2071756f"); // "Quid pro quo"

    private static readonly byte[] Rtp = Hex.Parse("""
        8040f17b 8041f8d3 5501a0b2
        47616c6c 69612065 7374206f 6d6e6973 20646976 69736120 696e2070 61727465 73207472 6573
        """); // v=2, PT=64, seq=0xf17b, ts, SSRC=0x5501a0b2, "Gallia est omnis divisa in partes tres"

    private static readonly byte[] Srtp = Hex.Parse("""
        8040f17b 8041f8d3 5501a0b2
        f24de3a3 fb34de6c acba861c 9d7e4bca be633bd5 0d294e6f 42a5f47a 51c7d19b 36de3adf 8833
        899d7f27 beb16a91 52cf765e e4390cce
        """); // header (AAD) | ciphertext | 16-octet tag

    private static readonly byte[] Rtcp = Hex.Parse("""
        81c8000d 4d617273
        4e545031 4e545032 52545020 0000042a 0000e930 4c756e61
        deadbeef deadbeef deadbeef deadbeef deadbeef
        """); // v=2, RC=1, SR, len=13, sender SSRC "Mars", sender info, report block

    private static readonly byte[] Srtcp = Hex.Parse("""
        81c8000d 4d617273
        63e94885 dcdab67c a727d766 2f6b7e99 7ff5c0f7 6c06f32d c676a5f1 730d6fda 4ce09b46
        86303ded 0bb9275b c84aa458 96cf4d2f c5abf872 45d9eade
        800005d4
        """); // header (AAD) | ciphertext | tag | E=1, SRTCP index 0x5d4

    private static readonly byte[] SrtcpAuthenticatedOnly = Hex.Parse("""
        81c8000d 4d617273
        4e545031 4e545032 52545020 0000042a 0000e930 4c756e61
        deadbeef deadbeef deadbeef deadbeef deadbeef
        841dd968 3dd78ec9 2ae58790 125f62b3
        000005d4
        """); // clear RTCP (AAD) | tag | E=0, SRTCP index 0x5d4

    private static SrtpContext CreateContext() => SrtpContext.Create(
        SrtpProfile.AeadAes128Gcm,
        new SrtpSessionKeys(Key, Salt, [], Key, Salt, []));

    [Fact]
    public void Protect_rtp_matches_rfc7714_section16()
    {
        using var context = CreateContext();
        var output = new byte[Rtp.Length + context.RtpOverhead];

        Assert.True(context.TryProtectRtp(Rtp, output, out var written));

        Assert.Equal(Srtp.Length, written);
        Assert.Equal(Srtp, output);
    }

    [Fact]
    public void Unprotect_rtp_matches_rfc7714_section16()
    {
        using var context = CreateContext();
        var packet = (byte[])Srtp.Clone();

        Assert.True(context.TryUnprotectRtp(packet, out var plainLength, out var error));

        Assert.Equal(ParseError.None, error);
        Assert.Equal(Rtp, packet[..plainLength]);
    }

    [Fact]
    public void Protect_rtcp_matches_rfc7714_section17()
    {
        using var context = CreateContext();
        var output = new byte[Rtcp.Length + context.RtcpOverhead];

        // The vector uses SRTCP index 0x5d4 and a sender counts from 0.
        for (var i = 0; i < 0x5d4; i++)
        {
            Assert.True(context.TryProtectRtcp(Rtcp, output, out _));
        }

        Assert.True(context.TryProtectRtcp(Rtcp, output, out var written));

        Assert.Equal(Srtcp.Length, written);
        Assert.Equal(Srtcp, output);
    }

    [Fact]
    public void Unprotect_rtcp_matches_rfc7714_section17()
    {
        using var context = CreateContext();
        var packet = (byte[])Srtcp.Clone();

        Assert.True(context.TryUnprotectRtcp(packet, out var plainLength, out var error));

        Assert.Equal(ParseError.None, error);
        Assert.Equal(Rtcp, packet[..plainLength]);
    }

    [Fact]
    public void Unprotect_unencrypted_rtcp_matches_rfc7714_section17()
    {
        using var context = CreateContext();
        var packet = (byte[])SrtcpAuthenticatedOnly.Clone();

        Assert.True(context.TryUnprotectRtcp(packet, out var plainLength, out var error));

        Assert.Equal(ParseError.None, error);
        Assert.Equal(Rtcp, packet[..plainLength]);
    }

    [Fact]
    public void Unprotect_unencrypted_rtcp_rejects_a_flipped_e_flag()
    {
        using var context = CreateContext();
        var packet = (byte[])SrtcpAuthenticatedOnly.Clone();
        packet[^4] |= 0x80; // claims encryption: the index word is authenticated, so the tag fails

        Assert.False(context.TryUnprotectRtcp(packet, out _, out var error));

        Assert.Equal(ParseError.AuthenticationFailed, error);
    }

    // libsrtp srtp_driver AEAD validation: the master key goes through the key derivation
    // with a 12-octet salt, and the header carries a one-byte extension block.
    [Fact]
    public void Protect_with_derived_keys_and_header_extension_matches_libsrtp()
    {
        var plain = Hex.Parse("""
            900f1234 decafbad cafebabe
            bede0006 17414273 a4752627 48220000 c8308e46 55996386 b395fb00
            abababab abababab abababab abababab
            """); // v=2, X=1, seq=0x1234, SSRC=0xcafebabe, 6-word extension, 16 payload octets
        var expected = Hex.Parse("""
            900f1234 decafbad cafebabe
            bede0006 17414273 a4752627 48220000 c8308e46 55996386 b395fb00
            0eca0cf9 5ee955b2 6cd3d288 b49f6ca9
            e0eb4eab 09af2bae f6804f14 1b9b02b0
            """); // header and extension clear | ciphertext | tag
        using var sender = SrtpContext.Create(
            SrtpProfile.AeadAes128Gcm,
            Hex.Parse("e1f97a0d3e018be0d64fa32c06de4139"),
            Hex.Parse("0ec675ad498afeebb6960b3a"));
        using var receiver = SrtpContext.Create(
            SrtpProfile.AeadAes128Gcm,
            Hex.Parse("e1f97a0d3e018be0d64fa32c06de4139"),
            Hex.Parse("0ec675ad498afeebb6960b3a"));
        var output = new byte[plain.Length + sender.RtpOverhead];

        Assert.True(sender.TryProtectRtp(plain, output, out var written));
        Assert.Equal(expected, output[..written]);

        Assert.True(receiver.TryUnprotectRtp(output, out var plainLength, out _));
        Assert.Equal(plain, output[..plainLength]);
    }
}
