using Streamer.Media.Codecs;

namespace Streamer.Media.Tests.Codecs;

public sealed class H264DepacketizerTests
{
    private static readonly byte[] Sps = [0x67, 0x42, 0xC0, 0x1E];
    private static readonly byte[] Pps = [0x68, 0xCE, 0x3C, 0x80];

    [Fact]
    public void Single_nal_unit_becomes_annex_b()
    {
        byte[] payload =
        [
            0x41, // F=0, NRI=2, type 1 (non-IDR slice)
            0x9A, // first_mb_in_slice = 0 (leading 1 bit)
            0x01, // slice data
        ];
        var depacketizer = new H264Depacketizer();
        Assert.True(depacketizer.TryInspect(payload, out var flags, out _));
        Assert.Equal(RtpPayloadFlags.FrameStart, flags);
        var output = Assemble(depacketizer, [payload], out var key);
        Assert.False(key);
        Assert.Equal([0, 0, 0, 1, 0x41, 0x9A, 0x01], output);
    }

    [Fact]
    public void Stap_a_with_sps_pps_and_idr_is_split_into_three_nal_units_and_is_keyframe()
    {
        byte[] payload =
        [
            0x78,                   // F=0, NRI=3, type 24 (STAP-A)
            0x00, 0x04,             // size 4
            0x67, 0x42, 0xC0, 0x1E, // SPS
            0x00, 0x04,             // size 4
            0x68, 0xCE, 0x3C, 0x80, // PPS
            0x00, 0x03,             // size 3
            0x65, 0x88, 0x84,       // IDR slice, first_mb_in_slice = 0
        ];
        var depacketizer = new H264Depacketizer();
        Assert.True(depacketizer.TryInspect(payload, out var flags, out _));
        Assert.Equal(RtpPayloadFlags.FrameStart | RtpPayloadFlags.KeyframeStart, flags);
        var output = Assemble(depacketizer, [payload], out var key);
        Assert.True(key);
        Assert.Equal([0, 0, 0, 1, .. Sps, 0, 0, 0, 1, .. Pps, 0, 0, 0, 1, 0x65, 0x88, 0x84], output);
        Assert.Equal(Sps, depacketizer.LastSps.ToArray());
    }

    [Fact]
    public void Fu_a_start_middle_end_reassemble_one_nal_unit()
    {
        byte[] start = [0x7C, 0x85, 0x88, 0x01]; // FU indicator NRI=3 type 28; FU header S=1 type 5; data
        byte[] middle = [0x7C, 0x05, 0x02, 0x03]; // S=0, E=0
        byte[] end = [0x7C, 0x45, 0x04];          // E=1
        var depacketizer = new H264Depacketizer();
        Assert.True(depacketizer.TryInspect(start, out var flags, out _));
        Assert.Equal(RtpPayloadFlags.FrameStart | RtpPayloadFlags.KeyframeStart, flags);
        Assert.True(depacketizer.TryInspect(middle, out flags, out _));
        Assert.Equal(RtpPayloadFlags.None, flags);
        var output = Assemble(depacketizer, [start, middle, end], out var key);
        // No SPS/PPS seen yet, so the IDR cannot be a decodable keyframe on its own.
        Assert.False(key);
        Assert.Equal([0, 0, 0, 1, 0x65, 0x88, 0x01, 0x02, 0x03, 0x04], output);
    }

    [Fact]
    public void Remembered_sps_and_pps_are_prepended_to_idr_that_lacks_them()
    {
        var depacketizer = new H264Depacketizer();
        byte[] parameterSets = [0x78, 0x00, 0x04, .. Sps, 0x00, 0x04, .. Pps]; // STAP-A: SPS, PPS
        byte[] idr = [0x65, 0x88, 0x10];                                       // IDR alone
        Assemble(depacketizer, [parameterSets], out _);
        var output = Assemble(depacketizer, [idr], out var key);
        Assert.True(key);
        Assert.Equal([0, 0, 0, 1, .. Sps, 0, 0, 0, 1, .. Pps, 0, 0, 0, 1, 0x65, 0x88, 0x10], output);
    }

    [Theory]
    [InlineData(new byte[] { }, ParseError.TooShort)]                        // empty
    [InlineData(new byte[] { 0x78 }, ParseError.TooShort)]                   // STAP-A header only
    [InlineData(new byte[] { 0x78, 0x00 }, ParseError.TooShort)]             // STAP-A size cut short
    [InlineData(new byte[] { 0x78, 0x00, 0x05, 0x67 }, ParseError.BadLength)] // STAP-A size beyond payload
    [InlineData(new byte[] { 0x78, 0x00, 0x00 }, ParseError.Malformed)]      // STAP-A zero-size unit
    [InlineData(new byte[] { 0x7C, 0x85 }, ParseError.TooShort)]             // FU-A without data
    [InlineData(new byte[] { 0x7C, 0xC5, 0x00 }, ParseError.Malformed)]      // FU-A with S and E both set
    [InlineData(new byte[] { 0x79, 0x00 }, ParseError.Unsupported)]          // STAP-B
    [InlineData(new byte[] { 0x7D, 0x00, 0x00 }, ParseError.Unsupported)]    // FU-B
    [InlineData(new byte[] { 0x60, 0x00 }, ParseError.UnknownType)]          // type 0
    [InlineData(new byte[] { 0x7F, 0x00 }, ParseError.UnknownType)]          // type 31
    public void Inspect_rejects_bad_payloads(byte[] payload, ParseError expected)
    {
        Assert.False(new H264Depacketizer().TryInspect(payload, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Assemble_rejects_fu_a_continuation_without_start()
    {
        var writer = new PooledByteWriter();
        byte[] middle = [0x7C, 0x05, 0x02]; // FU-A middle fragment with no start before it
        Assert.False(new H264Depacketizer().TryAssemble([middle], writer, out _, out var error));
        Assert.Equal(ParseError.Malformed, error);
        writer.Dispose();
    }

    [Fact]
    public void Assemble_rejects_unterminated_fu_a()
    {
        using var writer = new PooledByteWriter();
        byte[] start = [0x7C, 0x85, 0x88]; // FU-A start, and the frame ends before E=1
        Assert.False(new H264Depacketizer().TryAssemble([start], writer, out _, out var error));
        Assert.Equal(ParseError.Malformed, error);
    }

    [Fact]
    public void Inspect_and_assemble_never_throw_on_random_input()
    {
        var random = new Random(42);
        var depacketizer = new H264Depacketizer();
        using var writer = new PooledByteWriter();
        for (var i = 0; i < 3000; i++)
        {
            var payload = new byte[random.Next(0, 40)];
            random.NextBytes(payload);
            depacketizer.TryInspect(payload, out _, out _);
            writer.Clear();
            depacketizer.TryAssemble([payload, payload], writer, out _, out _);
        }
    }

    [Fact]
    public void Seeded_sps_and_pps_make_a_lone_idr_a_keyframe()
    {
        byte[] idr =
        [
            0x65, // F=0, NRI=3, type 5 (IDR)
            0x88, // first_mb_in_slice = 0
            0x84, // slice data
        ];
        var depacketizer = new H264Depacketizer();
        Assert.True(depacketizer.SeedParameterSet(Sps));
        Assert.True(depacketizer.SeedParameterSet(Pps));
        Assert.False(depacketizer.SeedParameterSet(idr));
        var output = Assemble(depacketizer, [idr], out var key);
        Assert.True(key);
        Assert.Equal([0, 0, 0, 1, .. Sps, 0, 0, 0, 1, .. Pps, 0, 0, 0, 1, .. idr], output);
    }

    private static byte[] Assemble(H264Depacketizer depacketizer, ReadOnlyMemory<byte>[] payloads, out bool isKeyframe)
    {
        using var writer = new PooledByteWriter();
        Assert.True(depacketizer.TryAssemble(payloads, writer, out isKeyframe, out var error), error.ToString());
        return writer.WrittenSpan.ToArray();
    }
}
