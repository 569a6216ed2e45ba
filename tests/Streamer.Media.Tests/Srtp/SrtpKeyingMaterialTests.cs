using Streamer.Media.Srtp;
using static Streamer.Media.Tests.Srtp.SrtpTestPackets;

namespace Streamer.Media.Tests.Srtp;

public class SrtpKeyingMaterialTests
{
    [Theory]
    [MemberData(nameof(AllProfiles), MemberType = typeof(SrtpTestPackets))]
    public void Client_outbound_pairs_with_server_inbound_and_back(SrtpProfile profile)
    {
        var material = new byte[profile.KeyingMaterialLength()];
        new Random(5).NextBytes(material);
        var (clientIn, clientOut) = SrtpKeyingMaterial.CreateContexts(profile, material, isDtlsClient: true);
        var (serverIn, serverOut) = SrtpKeyingMaterial.CreateContexts(profile, material, isDtlsClient: false);
        using var a = clientIn;
        using var b = clientOut;
        using var c = serverIn;
        using var d = serverOut;

        Assert.True(serverIn.TryUnprotectRtp(ProtectRtp(clientOut, BuildRtp(1)), out _, out _));
        Assert.True(clientIn.TryUnprotectRtcp(ProtectRtcp(serverOut, BuildRtcp()), out _, out _));
        Assert.False(clientIn.TryUnprotectRtp(ProtectRtp(clientOut, BuildRtp(2)), out _, out var error));   // own key is not the peer's
        Assert.Equal(ParseError.AuthenticationFailed, error);
    }

    [Fact]
    public void Client_write_key_and_salt_come_first_in_rfc5764_order()
    {
        var material = new byte[SrtpProfile.Aes128CmHmacSha1_80.KeyingMaterialLength()];
        new Random(6).NextBytes(material);
        var (_, outbound) = SrtpKeyingMaterial.CreateContexts(SrtpProfile.Aes128CmHmacSha1_80, material, isDtlsClient: true);
        using var clientOut = outbound;
        using var expected = SrtpContext.Create(
            SrtpProfile.Aes128CmHmacSha1_80,
            material.AsSpan(0, 16),     // client write key
            material.AsSpan(32, 14));   // client write salt

        Assert.Equal(ProtectRtp(expected, BuildRtp(10)), ProtectRtp(clientOut, BuildRtp(10)));
    }

    [Fact]
    public void Profile_sizes_follow_rfc5764_and_rfc7714()
    {
        Assert.Equal(60, SrtpProfile.Aes128CmHmacSha1_80.KeyingMaterialLength());
        Assert.Equal(60, SrtpProfile.Aes128CmHmacSha1_32.KeyingMaterialLength());
        Assert.Equal(56, SrtpProfile.AeadAes128Gcm.KeyingMaterialLength());
        Assert.Equal(0x0001, (ushort)SrtpProfile.Aes128CmHmacSha1_80);
        Assert.Equal(0x0007, (ushort)SrtpProfile.AeadAes128Gcm);
    }
}
