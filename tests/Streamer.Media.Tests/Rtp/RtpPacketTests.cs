using Streamer.Media.Rtp;

namespace Streamer.Media.Tests.Rtp;

public class RtpPacketTests
{
    // pion/rtp TestBasic: a packet with a non-RFC 8285 extension profile.
    private static readonly byte[] PionBasic =
    [
        0x90, 0xe0, 0x69, 0x8f, // v=2, p=0, x=1, cc=0, m=1, pt=96, seq=27023
        0xd9, 0xc2, 0x93, 0xda, // timestamp=3653407706
        0x1c, 0x64, 0x27, 0x82, // ssrc=476325762
        0x00, 0x01, 0x00, 0x01, // profile=0x0001, length=1 word
        0xff, 0xff, 0xff, 0xff, // opaque extension data
        0x98, 0x36, 0xbe, 0x88, 0x9e, // payload
    ];

    private static readonly byte[] OneByteWithPadding =
    [
        0xb1, 0x60, 0x00, 0x05, // v=2, p=1, x=1, cc=1, m=0, pt=96, seq=5
        0x00, 0x00, 0x00, 0x64, // timestamp=100
        0x01, 0x02, 0x03, 0x04, // ssrc=0x01020304
        0xaa, 0xbb, 0xcc, 0xdd, // csrc=0xaabbccdd
        0xbe, 0xde, 0x00, 0x02, // one-byte profile, length=2 words
        0x11, 0x12, 0x34, 0x30, // id=1 len=2 value=0x1234, id=3 len=1 ...
        0x61, 0x00, 0x00, 0x00, // ... value="a", padding
        0x01, 0x02, 0x03,       // payload
        0x00, 0x00, 0x03,       // 3 bytes of padding, count=3
    ];

    [Fact]
    public void TryUnmarshal_reads_pion_basic_packet_with_opaque_extension()
    {
        Assert.True(RtpPacket.TryUnmarshal(PionBasic, out var p, out var error));
        Assert.Equal(ParseError.None, error);
        Assert.True(p.Marker);
        Assert.Equal(96, p.PayloadType);
        Assert.Equal(27023, p.SequenceNumber);
        Assert.Equal(3653407706u, p.Timestamp);
        Assert.Equal(476325762u, p.Ssrc);
        Assert.Equal(1, p.ExtensionProfile);
        Assert.Equal(new byte[] { 0xff, 0xff, 0xff, 0xff }, p.RawExtension.ToArray());
        Assert.Empty(p.Extensions);
        Assert.Equal(new byte[] { 0x98, 0x36, 0xbe, 0x88, 0x9e }, p.Payload.ToArray());
    }

    [Fact]
    public void Payload_is_a_slice_of_the_input_buffer()
    {
        var buffer = (byte[])PionBasic.Clone();
        Assert.True(RtpPacket.TryUnmarshal(buffer, out var p, out _));
        buffer[20] = 0x42;
        Assert.Equal(0x42, p.Payload.Span[0]);
    }

    [Fact]
    public void TryUnmarshal_reads_one_byte_extensions_csrcs_and_strips_padding()
    {
        Assert.True(RtpPacket.TryUnmarshal(OneByteWithPadding, out var p, out _));
        Assert.Equal(new uint[] { 0xaabbccdd }, p.Csrcs);
        Assert.Equal(3, p.PaddingSize);
        Assert.Equal(new byte[] { 1, 2, 3 }, p.Payload.ToArray());
        Assert.True(p.TryGetExtension(1, out var one));
        Assert.Equal(new byte[] { 0x12, 0x34 }, one.ToArray());
        Assert.True(p.TryGetExtension(3, out var three));
        Assert.Equal("a"u8.ToArray(), three.ToArray());
        Assert.False(p.TryGetExtension(2, out _));
    }

    [Fact]
    public void Marshal_round_trips_byte_exact()
    {
        Assert.True(RtpPacket.TryUnmarshal(OneByteWithPadding, out var p, out _));
        var buffer = new byte[p.MarshalSize];
        Assert.Equal(OneByteWithPadding.Length, p.MarshalTo(buffer));
        Assert.Equal(OneByteWithPadding, buffer);

        Assert.True(RtpPacket.TryUnmarshal(PionBasic, out var basic, out _));
        buffer = new byte[basic.MarshalSize];
        basic.MarshalTo(buffer);
        Assert.Equal(PionBasic, buffer);
    }

    [Fact]
    public void Marshal_uses_two_byte_form_when_an_element_does_not_fit_one_byte()
    {
        var p = new RtpPacket { PayloadType = 111, SequenceNumber = 1, Timestamp = 2, Ssrc = 3, Payload = new byte[] { 9 } };
        p.SetExtension(20, new byte[] { 0xab });
        p.SetExtension(2, ReadOnlyMemory<byte>.Empty);
        var buffer = new byte[p.MarshalSize];
        int n = p.MarshalTo(buffer);
        byte[] expected =
        [
            0x90, 0x6f, 0x00, 0x01, // v=2, x=1, pt=111, seq=1
            0x00, 0x00, 0x00, 0x02, // timestamp=2
            0x00, 0x00, 0x00, 0x03, // ssrc=3
            0x10, 0x00, 0x00, 0x02, // two-byte profile, length=2 words
            0x14, 0x01, 0xab, 0x02, // id=20 len=1 0xab, id=2 ...
            0x00, 0x00, 0x00, 0x00, // ... len=0, padding
            0x09,                   // payload
        ];
        Assert.Equal(expected, buffer[..n]);
        Assert.True(RtpPacket.TryUnmarshal(buffer, out var back, out _));
        Assert.True(back.TryGetExtension(20, out var v));
        Assert.Equal(0xab, v[0]);
        Assert.True(back.TryGetExtension(2, out var empty));
        Assert.True(empty.IsEmpty);
    }

    [Fact]
    public void SetExtension_replaces_an_existing_id()
    {
        var p = new RtpPacket();
        p.SetExtension(5, new byte[] { 1 });
        p.SetExtension(5, new byte[] { 2 });
        Assert.Single(p.Extensions);
        Assert.True(p.TryGetExtension(5, out var v));
        Assert.Equal(2, v[0]);
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0x60, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 }, ParseError.TooShort)] // 11 bytes
    [InlineData(new byte[] { 0x40, 0x60, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01 }, ParseError.BadVersion)] // v=1
    [InlineData(new byte[] { 0x81, 0x60, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01 }, ParseError.TooShort)] // cc=1, no csrc
    [InlineData(new byte[] { 0x90, 0x60, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0xbe, 0xde, 0x00, 0x01 }, ParseError.TooShort)] // ext says 1 word, none present
    [InlineData(new byte[] { 0x90, 0x60, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0xbe, 0xde, 0x00, 0x01, 0x13, 0x00, 0x00, 0x00 }, ParseError.BadAttribute)] // id=1 len=4 runs past block
    [InlineData(new byte[] { 0xa0, 0x60, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00 }, ParseError.BadPadding)] // padding count 0
    [InlineData(new byte[] { 0xa0, 0x60, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x05 }, ParseError.BadPadding)] // padding count past payload
    public void TryUnmarshal_rejects_malformed_packets(byte[] data, ParseError expected)
    {
        Assert.False(RtpPacket.TryUnmarshal(data, out _, out var error));
        Assert.Equal(expected, error);
        Assert.False(RtpPacket.TryReadHeader(data, out _, out _, out var headerError));
        Assert.Equal(expected, headerError);
    }

    [Fact]
    public void One_byte_id_15_stops_extension_parsing()
    {
        byte[] data =
        [
            0x90, 0x60, 0x00, 0x01, // v=2, x=1, pt=96, seq=1
            0x00, 0x00, 0x00, 0x00, // timestamp=0
            0x00, 0x00, 0x00, 0x01, // ssrc=1
            0xbe, 0xde, 0x00, 0x01, // one-byte profile, 1 word
            0xf0, 0x21, 0x00, 0x00, // id=15 (stop), then what would be id=2
        ];
        Assert.True(RtpPacket.TryUnmarshal(data, out var p, out _));
        Assert.Empty(p.Extensions);
    }

    [Fact]
    public void TryUnmarshal_never_throws_on_random_input()
    {
        var random = new Random(1234);
        var buffer = new byte[64];
        for (int i = 0; i < 5000; i++)
        {
            int length = random.Next(buffer.Length);
            random.NextBytes(buffer);
            // Bias towards version 2 so the deeper paths run.
            if (length > 0 && (i & 1) == 0)
            {
                buffer[0] = (byte)((buffer[0] & 0x3F) | 0x80);
            }
            var slice = buffer.AsMemory(0, length);
            if (RtpPacket.TryUnmarshal(slice, out var p, out _))
            {
                Assert.True(p.Payload.Length <= length);
            }
        }
    }
}
