using Streamer.Media.Srtp;

namespace Streamer.Media.Tests.Srtp;

public class SrtpKeyDerivationTests
{
    // RFC 3711 appendix B.3.
    private static readonly byte[] MasterKey = Hex.Parse("E1F97A0D3E018BE0D64FA32C06DE4139");
    private static readonly byte[] MasterSalt = Hex.Parse("0EC675AD498AFEEBB6960B3AABE6");

    [Fact]
    public void Derives_rfc3711_b3_cipher_key_salt_and_auth_key()
    {
        var keys = SrtpKeyDerivation.DeriveSessionKeys(SrtpProfile.Aes128CmHmacSha1_80, MasterKey, MasterSalt);

        Assert.Equal(Hex.Parse("C61E7A93744F39EE10734AFE3FF7A087"), keys.RtpCipherKey);          // label 0x00
        Assert.Equal(Hex.Parse("30CBBC08863D8C85D49DB34A9AE1"), keys.RtpSalt);                   // label 0x02
        Assert.Equal(Hex.Parse("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4"), keys.RtpAuthKey);    // label 0x01
    }

    [Fact]
    public void Long_auth_key_output_continues_the_counter_as_rfc3711_b3_lists()
    {
        var authKey = SrtpKeyDerivation.Derive(MasterKey, MasterSalt, SrtpKeyDerivation.RtpAuthenticationLabel, 94);

        Assert.Equal(
            Hex.Parse("""
                CEBE321F6FF7716B6FD4AB49AF256A15 6D38BAA48F0A0ACF3C34E2359E6CDBCE
                E049646C43D9327AD175578EF7227098 6371C10C9A369AC2F94A8C5FBCDDDC25
                6D6E919A48B610EF17C2041E47403576 6B68642C59BBFC2F34DB60DBDFB2
                """),
            authKey);
    }

    [Fact]
    public void Rtcp_keys_use_their_own_labels()
    {
        var keys = SrtpKeyDerivation.DeriveSessionKeys(SrtpProfile.Aes128CmHmacSha1_80, MasterKey, MasterSalt);

        Assert.Equal(SrtpKeyDerivation.Derive(MasterKey, MasterSalt, 0x03, 16), keys.RtcpCipherKey);
        Assert.Equal(SrtpKeyDerivation.Derive(MasterKey, MasterSalt, 0x05, 14), keys.RtcpSalt);
        Assert.Equal(SrtpKeyDerivation.Derive(MasterKey, MasterSalt, 0x04, 20), keys.RtcpAuthKey);
        Assert.NotEqual(keys.RtpCipherKey, keys.RtcpCipherKey);
    }

    [Fact]
    public void Gcm_profile_derives_12_byte_salts_and_no_auth_keys()
    {
        var keys = SrtpKeyDerivation.DeriveSessionKeys(SrtpProfile.AeadAes128Gcm, MasterKey, MasterSalt.AsSpan(0, 12));

        Assert.Equal(16, keys.RtpCipherKey.Length);
        Assert.Equal(12, keys.RtpSalt.Length);
        Assert.Empty(keys.RtpAuthKey);
        Assert.Equal(12, keys.RtcpSalt.Length);
    }
}
