using Streamer.Media.Dtls;

namespace Streamer.Media.Tests.Dtls;

public sealed class DtlsSrtpKeysTests
{
    [Theory]
    // profile, key length, salt length (RFC 5764 4.1.2, RFC 7714 12)
    [InlineData(0x0001, 16, 14)]
    [InlineData(0x0002, 16, 14)]
    [InlineData(0x0007, 16, 12)]
    [InlineData(0x0008, 32, 12)]
    public void FromKeyingMaterial_splits_client_key_server_key_client_salt_server_salt(int profile, int key, int salt)
    {
        // Byte i of the material is i, so each part's first byte tells its offset.
        byte[] material = Enumerable.Range(0, 2 * (key + salt)).Select(i => (byte)i).ToArray();

        DtlsSrtpKeys keys = DtlsSrtpKeys.FromKeyingMaterial((ushort)profile, material);

        Assert.Equal(profile, keys.ProtectionProfile);
        Assert.Equal(material[..key], keys.ClientMasterKey);
        Assert.Equal(material[key..(2 * key)], keys.ServerMasterKey);
        Assert.Equal(material[(2 * key)..(2 * key + salt)], keys.ClientMasterSalt);
        Assert.Equal(material[(2 * key + salt)..], keys.ServerMasterSalt);
        Assert.Equal(material.Length, DtlsSrtpKeys.KeyingMaterialLength((ushort)profile));
    }

    [Fact]
    public void FromKeyingMaterial_rejects_a_wrong_length_or_profile()
    {
        Assert.Throws<ArgumentException>(() => DtlsSrtpKeys.FromKeyingMaterial(0x0001, new byte[59]));
        Assert.Throws<ArgumentOutOfRangeException>(() => DtlsSrtpKeys.FromKeyingMaterial(0x0005, new byte[60]));
        Assert.False(SrtpProtectionProfiles.TryGetKeyLengths(0x0000, out _, out _));
    }
}
