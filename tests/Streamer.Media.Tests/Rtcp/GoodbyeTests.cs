using Streamer.Media.Rtcp;

namespace Streamer.Media.Tests.Rtcp;

public class GoodbyeTests
{
    private static readonly byte[] WithReason =
    [
        0x81, 0xcb, 0x00, 0x03, // v=2, count=1, BYE, len=3
        0x90, 0x2f, 0x9e, 0x2e, // source=0x902f9e2e
        0x03, 0x46, 0x4f, 0x4f, // len=3, "FOO"
        0x00, 0x00, 0x00, 0x00, // padding
    ];

    [Fact]
    public void TryUnmarshal_reads_sources_and_reason()
    {
        Assert.True(Goodbye.TryUnmarshal(WithReason, out var bye, out _));
        Assert.Equal(new uint[] { 0x902f9e2e }, bye.Sources);
        Assert.Equal("FOO", bye.Reason);
    }

    [Fact]
    public void Marshal_round_trips_reason_with_padding()
    {
        var bye = new Goodbye { Sources = [1, 2], Reason = "FOOBAR" };
        var buffer = new byte[bye.MarshalSize];
        bye.MarshalTo(buffer);
        byte[] expected =
        [
            0x82, 0xcb, 0x00, 0x04, // count=2, BYE, len=4
            0x00, 0x00, 0x00, 0x01, // source=1
            0x00, 0x00, 0x00, 0x02, // source=2
            0x06, 0x46, 0x4f, 0x4f, // len=6, "FOO"
            0x42, 0x41, 0x52, 0x00, // "BAR", padding
        ];
        Assert.Equal(expected, buffer);
        Assert.True(Goodbye.TryUnmarshal(buffer, out var back, out _));
        Assert.Equal("FOOBAR", back.Reason);
    }

    [Fact]
    public void TryUnmarshal_rejects_reason_past_end()
    {
        byte[] data = [0x80, 0xcb, 0x00, 0x01, 0x09, 0x41, 0x42, 0x43]; // count=0, reason len=9 with 3 bytes
        Assert.False(Goodbye.TryUnmarshal(data, out _, out var error));
        Assert.Equal(ParseError.BadLength, error);
    }

    [Fact]
    public void TryUnmarshal_never_throws_on_random_input() =>
        RtcpFuzz.NeverThrows(d => Goodbye.TryUnmarshal(d, out _, out _), RtcpPacketType.Goodbye, 1, seed: 203);
}
