using Streamer.Media.Srtp;

namespace Streamer.Media.Tests.Srtp;

public class AesCounterModeTests
{
    // RFC 3711 appendix B.2.
    private static readonly byte[] SessionKey = Hex.Parse("2B7E151628AED2A6ABF7158809CF4F3C");
    private static readonly byte[] Iv = Hex.Parse("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000");

    [Fact]
    public void Keystream_matches_rfc3711_b2_first_and_last_blocks()
    {
        using var aes = new AesCounterMode(SessionKey);
        var keystream = new byte[65282 * 16];
        aes.Transform(Iv, keystream);

        Assert.Equal(Hex.Parse("E03EAD0935C95E80E166B16DD92B4EB4"), keystream[0..16]);             // counter ...0000
        Assert.Equal(Hex.Parse("D23513162B02D0F72A43A2FE4A5F97AB"), keystream[16..32]);            // counter ...0001
        Assert.Equal(Hex.Parse("41E95B3BB0A2E8DD477901E4FCA894C0"), keystream[32..48]);            // counter ...0002
        Assert.Equal(Hex.Parse("EC8CDF7398607CB0F2D21675EA9EA1E4"), keystream[^48..^32]);          // counter ...FEFF
        Assert.Equal(Hex.Parse("362B7C3C6773516318A077D7FC5073AE"), keystream[^32..^16]);          // counter ...FF00
        Assert.Equal(Hex.Parse("6A2CC3787889374FBEB4C81B17BA6C44"), keystream[^16..]);             // counter ...FF01
    }

    [Theory]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(17)]
    [InlineData(1023)]
    [InlineData(1025)]
    [InlineData(3000)]
    public void Transform_of_any_length_equals_the_prefix_of_the_long_keystream(int length)
    {
        using var aes = new AesCounterMode(SessionKey);
        var reference = new byte[4096];
        aes.Transform(Iv, reference);
        var data = new byte[length];
        aes.Transform(Iv, data);
        Assert.Equal(reference[..length], data);
    }

    [Fact]
    public void Transform_twice_restores_the_data()
    {
        using var aes = new AesCounterMode(SessionKey);
        var random = new Random(7);
        var original = new byte[1300];
        random.NextBytes(original);
        var data = (byte[])original.Clone();
        aes.Transform(Iv, data);
        Assert.NotEqual(original, data);
        aes.Transform(Iv, data);
        Assert.Equal(original, data);
    }
}
