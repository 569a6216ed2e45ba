using Streamer.Media.Codecs;

namespace Streamer.Media.Tests.Codecs;

public sealed class Vp8PayloadDescriptorTests
{
    [Fact]
    public void Unmarshal_reads_minimal_descriptor()
    {
        byte[] payload =
        [
            0x10, // X=0, N=0, S=1, PID=0
            0x9d, // first byte of VP8 data
        ];
        Assert.True(Vp8PayloadDescriptor.TryUnmarshal(payload, out var d, out var error));
        Assert.Equal(ParseError.None, error);
        Assert.True(d.IsFrameStart);
        Assert.Equal(-1, d.PictureId);
        Assert.Equal(1, d.MarshalSize);
    }

    [Fact]
    public void Unmarshal_reads_15_bit_picture_id_tl0picidx_and_tid_keyidx()
    {
        byte[] payload =
        [
            0xA3, // X=1, N=1, S=0, PID=3
            0xF0, // I=1, L=1, T=1, K=1
            0x92, // M=1, PictureID high 7 bits = 0x12
            0x34, // PictureID low 8 bits
            0x55, // TL0PICIDX = 0x55
            0x65, // TID=1, Y=1, KEYIDX=5
            0x00, // VP8 data
        ];
        Assert.True(Vp8PayloadDescriptor.TryUnmarshal(payload, out var d, out _));
        Assert.True(d.NonReference);
        Assert.False(d.StartOfPartition);
        Assert.Equal(3, d.PartitionId);
        Assert.Equal(0x1234, d.PictureId);
        Assert.True(d.PictureIdIs15Bit);
        Assert.Equal(0x55, d.Tl0PicIdx);
        Assert.Equal(1, d.TemporalLayer);
        Assert.True(d.LayerSync);
        Assert.Equal(5, d.KeyIndex);
        Assert.Equal(6, d.MarshalSize);

        var round = new byte[d.MarshalSize];
        Assert.Equal(6, d.MarshalTo(round));
        Assert.Equal(payload[..6], round);
    }

    [Fact]
    public void Unmarshal_reads_7_bit_picture_id()
    {
        byte[] payload =
        [
            0x90, // X=1, S=1, PID=0
            0x80, // I=1
            0x7F, // M=0, PictureID = 127
        ];
        Assert.True(Vp8PayloadDescriptor.TryUnmarshal(payload, out var d, out _));
        Assert.Equal(127, d.PictureId);
        Assert.False(d.PictureIdIs15Bit);
        Assert.Equal(3, d.MarshalSize);
    }

    [Theory]
    [InlineData(new byte[] { })]                       // empty
    [InlineData(new byte[] { 0x80 })]                   // X=1 but no extension byte
    [InlineData(new byte[] { 0x80, 0x80 })]             // I=1 but no PictureID
    [InlineData(new byte[] { 0x80, 0x80, 0x80 })]       // M=1 but second PictureID byte missing
    [InlineData(new byte[] { 0x80, 0x40 })]             // L=1 but no TL0PICIDX
    [InlineData(new byte[] { 0x80, 0x20 })]             // T=1 but no TID byte
    public void Unmarshal_rejects_truncated_descriptor(byte[] payload)
    {
        Assert.False(Vp8PayloadDescriptor.TryUnmarshal(payload, out _, out var error));
        Assert.Equal(ParseError.TooShort, error);
    }

    [Fact]
    public void Unmarshal_never_throws_on_random_input()
    {
        var random = new Random(1234);
        var buffer = new byte[12];
        for (var i = 0; i < 5000; i++)
        {
            var length = random.Next(buffer.Length + 1);
            random.NextBytes(buffer);
            if (Vp8PayloadDescriptor.TryUnmarshal(buffer.AsSpan(0, length), out var d, out _))
            {
                Assert.InRange(d.MarshalSize, 1, length);
            }
        }
    }
}
