using System.Text;

namespace Streamer.KvStore.Tests;

public class Crc32CTests
{
    [Fact]
    public void Compute_matches_the_standard_check_value()
    {
        // The CRC-32C catalogue check value for the ASCII digits "123456789".
        Assert.Equal(0xE3069283u, Crc32C.Compute(Encoding.ASCII.GetBytes("123456789")));
    }

    [Fact]
    public void Compute_matches_the_rfc3720_test_vectors()
    {
        // RFC 3720 appendix B.4: 32 bytes of zeros, of 0xFF, and of 0x00..0x1F.
        Assert.Equal(0x8A9136AAu, Crc32C.Compute(new byte[32]));
        Assert.Equal(0x62A8AB43u, Crc32C.Compute(Enumerable.Repeat((byte)0xFF, 32).ToArray()));
        Assert.Equal(0x46DD794Eu, Crc32C.Compute(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray()));
    }

    [Fact]
    public void Append_over_pieces_equals_compute_over_the_whole()
    {
        var data = new byte[1001];
        new Random(3).NextBytes(data);
        uint whole = Crc32C.Compute(data);
        for (int split = 0; split <= data.Length; split += 37)
        {
            Assert.Equal(whole, Crc32C.Append(Crc32C.Compute(data.AsSpan(0, split)), data.AsSpan(split)));
        }
    }
}
