using Streamer.Media.Codecs;

namespace Streamer.Media.Tests.Codecs;

public sealed class H265DepacketizerTests
{
    private static readonly byte[] Vps = [0x40, 0x01, 0x0C, 0x01]; // type 32, LayerId 0, TID 1
    private static readonly byte[] Sps = [0x42, 0x01, 0x01, 0x04]; // type 33
    private static readonly byte[] Pps = [0x44, 0x01, 0xC0, 0x70]; // type 34

    [Fact]
    public void Single_trailing_slice_becomes_annex_b_and_starts_a_delta_frame()
    {
        byte[] payload =
        [
            0x02, 0x01, // F=0, type 1 (TRAIL_R), LayerId 0, TID 1
            0xA0,       // first_slice_segment_in_pic_flag = 1
            0x11,       // slice data
        ];
        var depacketizer = new H265Depacketizer();
        Assert.True(depacketizer.TryInspect(payload, out var flags, out _));
        Assert.Equal(RtpPayloadFlags.FrameStart, flags);
        var output = Assemble(depacketizer, [payload], out var key);
        Assert.False(key);
        Assert.Equal([0, 0, 0, 1, 0x02, 0x01, 0xA0, 0x11], output);
    }

    [Fact]
    public void Second_slice_of_a_picture_does_not_start_a_frame()
    {
        byte[] payload =
        [
            0x02, 0x01, // type 1 (TRAIL_R)
            0x20,       // first_slice_segment_in_pic_flag = 0
            0x11,       // slice data
        ];
        Assert.True(new H265Depacketizer().TryInspect(payload, out var flags, out _));
        Assert.Equal(RtpPayloadFlags.None, flags);
    }

    [Fact]
    public void Aggregation_packet_with_parameter_sets_and_idr_is_split_and_is_keyframe()
    {
        byte[] payload =
        [
            0x60, 0x01,             // F=0, type 48 (AP), LayerId 0, TID 1
            0x00, 0x04,             // size 4
            0x40, 0x01, 0x0C, 0x01, // VPS
            0x00, 0x04,             // size 4
            0x42, 0x01, 0x01, 0x04, // SPS
            0x00, 0x04,             // size 4
            0x44, 0x01, 0xC0, 0x70, // PPS
            0x00, 0x04,             // size 4
            0x26, 0x01, 0xAF, 0x05, // type 19 (IDR_W_RADL), first slice
        ];
        var depacketizer = new H265Depacketizer();
        Assert.True(depacketizer.TryInspect(payload, out var flags, out _));
        Assert.Equal(RtpPayloadFlags.FrameStart | RtpPayloadFlags.KeyframeStart, flags);
        var output = Assemble(depacketizer, [payload], out var key);
        Assert.True(key);
        Assert.Equal([0, 0, 0, 1, .. Vps, 0, 0, 0, 1, .. Sps, 0, 0, 0, 1, .. Pps, 0, 0, 0, 1, 0x26, 0x01, 0xAF, 0x05], output);
        Assert.Equal(Vps, depacketizer.LastVps.ToArray());
        Assert.Equal(Sps, depacketizer.LastSps.ToArray());
        Assert.Equal(Pps, depacketizer.LastPps.ToArray());
    }

    [Fact]
    public void Fragmentation_units_rebuild_the_nal_header_from_the_fu_type()
    {
        byte[] start = [0x62, 0x01, 0x93, 0xAF, 0x01]; // PayloadHdr type 49 (FU), TID 1; FU S=1 type 19; first slice; data
        byte[] middle = [0x62, 0x01, 0x13, 0x02];      // S=0, E=0, type 19
        byte[] end = [0x62, 0x01, 0x53, 0x03];         // E=1, type 19
        var depacketizer = new H265Depacketizer();
        Assert.True(depacketizer.TryInspect(start, out var flags, out _));
        Assert.Equal(RtpPayloadFlags.FrameStart | RtpPayloadFlags.KeyframeStart, flags);
        Assert.True(depacketizer.TryInspect(middle, out flags, out _));
        Assert.Equal(RtpPayloadFlags.None, flags);
        var output = Assemble(depacketizer, [start, middle, end], out var key);
        // No parameter sets known: the IRAP picture is written but cannot be a keyframe.
        Assert.False(key);
        Assert.Equal([0, 0, 0, 1, 0x26, 0x01, 0xAF, 0x01, 0x02, 0x03], output);
    }

    [Fact]
    public void Seeded_parameter_sets_are_prepended_to_an_idr_that_arrives_alone()
    {
        byte[] idr =
        [
            0x26, 0x01, // type 19 (IDR_W_RADL)
            0x80,       // first slice
            0x44,       // slice data
        ];
        var depacketizer = new H265Depacketizer();
        Assert.True(depacketizer.SeedParameterSet(Vps));
        Assert.True(depacketizer.SeedParameterSet(Sps));
        Assert.True(depacketizer.SeedParameterSet(Pps));
        Assert.False(depacketizer.SeedParameterSet(idr));
        var output = Assemble(depacketizer, [idr], out var key);
        Assert.True(key);
        Assert.Equal([0, 0, 0, 1, .. Vps, 0, 0, 0, 1, .. Sps, 0, 0, 0, 1, .. Pps, 0, 0, 0, 1, .. idr], output);
    }

    [Fact]
    public void Cra_picture_counts_as_keyframe_start()
    {
        byte[] cra = [0x2A, 0x01, 0x80, 0x00]; // type 21 (CRA_NUT), first slice
        Assert.True(new H265Depacketizer().TryInspect(cra, out var flags, out _));
        Assert.Equal(RtpPayloadFlags.FrameStart | RtpPayloadFlags.KeyframeStart, flags);
    }

    [Theory]
    [InlineData(new byte[] { 0x02 }, ParseError.TooShort)]                                // one header byte
    [InlineData(new byte[] { 0x02, 0x01 }, ParseError.TooShort)]                          // header, no body
    [InlineData(new byte[] { 0x82, 0x01, 0x80 }, ParseError.Malformed)]                   // F=1
    [InlineData(new byte[] { 0x64, 0x01, 0x80 }, ParseError.Unsupported)]                 // type 50 (PACI)
    [InlineData(new byte[] { 0x6E, 0x01, 0x80 }, ParseError.UnknownType)]                 // type 55
    [InlineData(new byte[] { 0x62, 0x01, 0xD3, 0x00 }, ParseError.Malformed)]             // FU with S=1 and E=1
    [InlineData(new byte[] { 0x62, 0x01, 0x93 }, ParseError.TooShort)]                    // FU header, no data
    [InlineData(new byte[] { 0x62, 0x01, 0xB1, 0x00 }, ParseError.Malformed)]             // FU carrying type 49
    [InlineData(new byte[] { 0x60, 0x01, 0x00, 0x09, 0x02, 0x01, 0x80 }, ParseError.BadLength)] // AP unit size 9 > 3 left
    [InlineData(new byte[] { 0x60, 0x01, 0x00, 0x01, 0x02 }, ParseError.Malformed)]       // AP unit shorter than a NAL header
    [InlineData(new byte[] { 0x60, 0x01, 0x00 }, ParseError.TooShort)]                    // AP with half a size field
    public void Bad_payload_is_rejected_with_its_error(byte[] payload, ParseError expected)
    {
        Assert.False(new H265Depacketizer().TryInspect(payload, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Fragment_without_start_is_rejected_by_assemble()
    {
        byte[] middle = [0x62, 0x01, 0x13, 0x02]; // FU S=0 E=0 type 19
        byte[] end = [0x62, 0x01, 0x53, 0x03];    // FU E=1 type 19
        using var writer = new PooledByteWriter();
        Assert.False(new H265Depacketizer().TryAssemble([middle, end], writer, out _, out var error));
        Assert.Equal(ParseError.Malformed, error);
    }

    [Fact]
    public void Unfinished_fragment_is_rejected_by_assemble()
    {
        byte[] start = [0x62, 0x01, 0x81, 0xA0, 0x01]; // FU S=1 type 1
        using var writer = new PooledByteWriter();
        Assert.False(new H265Depacketizer().TryAssemble([start], writer, out _, out var error));
        Assert.Equal(ParseError.Malformed, error);
    }

    [Fact]
    public void Random_payloads_never_throw()
    {
        var random = new Random(7798);
        var depacketizer = new H265Depacketizer();
        using var writer = new PooledByteWriter();
        var buffer = new byte[64];
        for (var i = 0; i < 5000; i++)
        {
            var length = random.Next(0, buffer.Length);
            random.NextBytes(buffer);
            var payload = buffer.AsMemory(0, length);
            // Bias the type towards the interesting ones.
            if (length > 0 && random.Next(2) == 0)
            {
                buffer[0] = (byte)((random.Next(3) switch { 0 => 48, 1 => 49, _ => random.Next(0, 40) }) << 1);
            }
            depacketizer.TryInspect(payload.Span, out _, out _);
            writer.Clear();
            depacketizer.TryAssemble([payload, payload], writer, out _, out _);
        }
    }

    private static byte[] Assemble(H265Depacketizer depacketizer, ReadOnlyMemory<byte>[] payloads, out bool isKeyframe)
    {
        using var writer = new PooledByteWriter();
        Assert.True(depacketizer.TryAssemble(payloads, writer, out isKeyframe, out var error), error.ToString());
        return writer.WrittenSpan.ToArray();
    }
}
